package dev.realtime.core.quiz;

import dev.realtime.core.quiz.PageAnalyzer.Analysis;
import dev.realtime.core.quiz.PageAnalyzer.Sentence;
import dev.realtime.core.quiz.PageAnalyzer.Token;
import dev.realtime.core.quiz.Term.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells persons, places and other names apart without a name list, from context cues scored over the whole page:
 * a title or a person noun before the name ("Dr.", "King", "the physicist", "der Chemiker"), a person verb after
 * it ("was born", "discovered", "led"), a pronoun opening the next sentence; a place preposition before it ("in",
 * "at", "from", "nach"), a place noun before it ("the planet Mars"); what the text says it is ("Mercury is the
 * planet", "the Bastille, a royal fortress", "a landmass called Pangaea"); a place or organisation head word in it
 * ("Ocean", "Center"; "University", "Prize", "Revolution"); coordination with a name of known kind ("Stockton and
 * Darlington"); and a surname that repeats a person's full name ("Armstrong"). A name with no clear evidence stays
 * {@link Kind#NAME}, which is only ever offered with other such names (so unknown persons and places can meet
 * there). Stateless.
 */
final class TermKinds {
    private static final Set<String> TITLES = Set.of("dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "sir", "king",
            "queen", "president", "emperor", "empress", "professor", "prof.", "saint", "pope", "lord", "lady",
            "general", "captain", "prince", "princess", "koningin", "koning", "prins", "könig", "königin", "kaiser",
            "herr", "frau", "präsident");
    private static final Set<String> NOT_PERSON_NOUNS = Set.of("river", "water", "center", "centre", "border",
            "number", "letter", "tower", "computer", "power", "paper", "layer", "chapter", "meter", "winter",
            "summer", "order", "corner", "fluss", "wasser");
    private static final Set<String> PERSON_VERBS = Set.of("born", "said", "says", "wrote", "discovered",
            "invented", "proposed", "patented", "built", "led", "ruled", "died", "married", "founded", "crowned",
            "seized", "described", "translated", "met", "stepped", "painted", "composed", "claimed", "argued",
            "believed", "studied", "won", "became", "designed", "developed", "published", "stayed", "received",
            "moved", "travelled", "traveled", "announced", "took", "reformed", "crossed", "shared", "explained",
            "klärte", "entdeckte", "schrieb", "erfand", "gründete", "starb", "sagte", "beschrieb", "entwickelte",
            "ontdekte", "schreef", "stierf", "zei");
    private static final Set<String> PLACE_PREPOSITIONS = Set.of("in", "at", "from", "to", "near", "into",
            "across", "towards", "through", "around", "between", "nach", "aus", "bei", "im", "naar", "uit", "bij", "onto",
            "on");
    private static final Set<String> PLACE_HEADS = Set.of("ocean", "sea", "river", "mountains", "mountain",
            "island", "islands", "lake", "bay", "gulf", "city", "center", "centre", "valley", "desert", "street",
            "park", "kingdom", "republic", "county", "state", "province", "coast", "strait", "canal", "peninsula",
            "land", "delta", "system", "meer", "see", "stadt");
    private static final Set<String> NAME_HEADS = Set.of("university", "institute", "company", "committee",
            "council", "prize", "revolution", "war", "trials", "party", "senate", "society", "church", "agency",
            "corporation", "museum", "academy", "reign", "act", "treaty", "engine", "programme", "program",
            "mission", "award", "general", "conference", "league", "union", "empire", "dynasty", "protocol",
            "foundation", "bank", "army", "navy", "court", "parliament", "congress", "school", "college");
    private static final Set<String> NAMING = Set.of("called", "named", "genannt", "namens", "genaamd", "heet");
    private static final Set<String> COPULAS = Set.of("is", "was", "are", "were", "ist", "war", "sind", "waren",
            "werd", "wordt");
    /** Nouns that say a name is a place ("the planet", "a fortress", "die Stadt"). */
    private static final Set<String> PLACE_NOUNS = Set.of("planet", "city", "country", "capital", "river",
            "island", "mountain", "continent", "ocean", "region", "town", "village", "state", "province", "moon",
            "star", "sea", "lake", "desert", "valley", "kingdom", "nation", "port", "fortress", "prison", "castle",
            "palace", "cathedral", "building", "bridge", "street", "square", "landmass", "peninsula", "stadt",
            "land", "fluss", "flüsse", "hauptstadt", "insel", "berg", "rivier", "rivieren", "stad", "eiland");
    /** Nouns that say a name is a person ("a king", "the poet"); -ist and -ian nouns count too. */
    private static final Set<String> PERSON_NOUNS = Set.of("king", "queen", "man", "woman", "poet", "writer",
            "leader", "emperor", "president", "painter", "composer", "engineer", "inventor", "chemist", "author",
            "philosopher", "astronaut", "pilot", "general", "soldier", "teacher", "doctor", "child", "son",
            "daughter", "wife", "husband", "mother", "father", "könig", "königin", "kaiser", "dichter", "chemiker",
            "koning", "koningin");
    private static final Set<String> PRONOUNS = Set.of("he", "she", "his", "her", "er", "sie", "hij", "zij");

    private TermKinds() {
    }

    /** {@code terms} with every {@link Kind#NAME} set to PERSON, PLACE or NAME by the page's evidence. */
    static List<Term> classify(Analysis analysis, List<Term> terms) {
        Map<String, double[]> votes = new HashMap<>(); // key -> {person, place, name}
        for (int n = 0; n < terms.size(); n++) {
            Term term = terms.get(n);
            if (term.kind() != Kind.NAME) {
                continue;
            }
            double[] v = votes.computeIfAbsent(term.key(), k -> new double[3]);
            cues(analysis, term, v);
        }
        // coordination: "Neil Armstrong and Buzz Aldrin", "between Stockton and Darlington"
        for (int round = 0; round < 2; round++) {
            for (int n = 0; n + 1 < terms.size(); n++) {
                Term a = terms.get(n);
                Term b = terms.get(n + 1);
                if (a.kind() != Kind.NAME || b.kind() != Kind.NAME || a.sentence() != b.sentence()
                        || b.from() != a.to() + 1) {
                    continue;
                }
                String between = analysis.sentences().get(a.sentence()).tokens().get(a.to()).lower();
                if (between.equals("and") || between.equals(",") || between.equals("or") || between.equals("und")
                        || between.equals("en")) {
                    double[] va = votes.get(a.key());
                    double[] vb = votes.get(b.key());
                    for (int k = 0; k < 3; k++) {
                        double share = (va[k] + vb[k]) / 2;
                        va[k] = Math.max(va[k], share);
                        vb[k] = Math.max(vb[k], share);
                    }
                }
            }
        }
        Map<String, Kind> kinds = new HashMap<>();
        votes.forEach((key, v) -> kinds.put(key, decide(v)));
        // a surname alone ("Armstrong") is the person whose full name ends with it
        for (Map.Entry<String, Kind> e : new ArrayList<>(kinds.entrySet())) {
            if (e.getValue() == Kind.PERSON && e.getKey().contains(" ")) {
                String last = e.getKey().substring(e.getKey().lastIndexOf(' ') + 1);
                if (kinds.containsKey(last) && kinds.get(last) == Kind.NAME) {
                    kinds.put(last, Kind.PERSON);
                }
            }
        }
        List<Term> out = new ArrayList<>(terms.size());
        for (Term t : terms) {
            out.add(t.kind() == Kind.NAME ? t.withKind(kinds.get(t.key())) : t);
        }
        return out;
    }

    private static Kind decide(double[] v) {
        if (v[2] >= 2 && v[2] >= v[0] && v[2] >= v[1]) {
            return Kind.NAME;
        }
        if (v[0] >= 1 && v[0] > v[1]) {
            return Kind.PERSON;
        }
        if (v[1] >= 1 && v[1] > v[0]) {
            return Kind.PLACE;
        }
        return Kind.NAME;
    }

    private static void cues(Analysis analysis, Term term, double[] v) {
        Sentence s = analysis.sentences().get(term.sentence());
        List<Token> t = s.tokens();
        String[] words = term.text().split("[\\s\\-]+");
        String first = TermExtractor.lower(words[0]);
        String last = TermExtractor.lower(words[words.length - 1]);
        String head = term.text().contains(" of ") ? first : last;
        if (PLACE_HEADS.contains(head)) {
            v[1] += 3;
        }
        if (NAME_HEADS.contains(head) || NAME_HEADS.contains(first)) {
            v[2] += 3;
        }
        if (TITLES.contains(first)) {
            v[0] += 3;
        }
        Token before = term.from() > 0 ? t.get(term.from() - 1) : null;
        if (before != null && (before.is("DET") || !analysis.tagged() && PageAnalyzer.functionWord(before.text()))
                && term.from() > 1
                && PLACE_PREPOSITIONS.contains(t.get(term.from() - 2).lower())) {
            before = t.get(term.from() - 2); // "in the Pacific Ocean", "in de Noordzee"
        }
        if (before != null) {
            String b = before.lower();
            if (TITLES.contains(b)) {
                v[0] += 3;
            } else if ((before.is("NOUN") || !analysis.tagged()) && PLACE_NOUNS.contains(TopicTerms.stem(b))) {
                v[1] += 2; // "the planet Mars", "de rivieren Rijn"
            } else if (before.is("NOUN") && b.matches(".*(ist|er|or|ian|ent|ant|ker|eur|ess)")
                    && !NOT_PERSON_NOUNS.contains(b)) {
                v[0] += 2; // "the physicist Pierre Curie", "der Chemiker Melvin Calvin"
            } else if (PLACE_PREPOSITIONS.contains(b)) {
                v[1] += 2;
            } else if (b.equals("by") || b.equals("door") || b.equals("von")) {
                v[0] += 0.5;
            }
        }
        for (int k = term.to(); k < Math.min(t.size(), term.to() + 3); k++) {
            Token after = t.get(k);
            if (after.is("VERB") && PERSON_VERBS.contains(after.lower())) {
                v[0] += 2;
                break;
            }
            if (!after.is("AUX", "ADV", "PART")) {
                break;
            }
        }
        // what the name is called: "a single landmass called Pangaea", "two small moons called Phobos and Deimos"
        if (term.from() >= 2 && NAMING.contains(t.get(term.from() - 1).lower()) && t.get(term.from() - 2).is("NOUN")) {
            String noun = TopicTerms.stem(t.get(term.from() - 2).lower());
            if (PLACE_NOUNS.contains(noun)) {
                v[1] += 2;
            } else if (PERSON_NOUNS.contains(noun)) {
                v[0] += 2;
            }
        }
        // what the name is said to be: "Mercury is the planet ...", "the Bastille, a royal fortress ..."
        int k = term.to();
        if (k < t.size() && (COPULAS.contains(t.get(k).lower()) || t.get(k).text().equals(","))) {
            k++;
            while (k < t.size() && k < term.to() + 5 && t.get(k).is("DET", "ADJ", "ADV", "NUM")) {
                k++;
            }
            if (k < t.size() && t.get(k).is("NOUN")) {
                String noun = t.get(k).lower();
                if (PLACE_NOUNS.contains(noun)) {
                    v[1] += 2;
                } else if (PERSON_NOUNS.contains(noun) || noun.matches(".*(ist|ian)") && noun.length() > 5) {
                    v[0] += 2;
                }
            }
        }
        if (term.from() <= 1 && term.sentence() + 1 < analysis.sentences().size()) {
            List<Token> nt = analysis.sentences().get(term.sentence() + 1).tokens();
            if (!nt.isEmpty() && PRONOUNS.contains(nt.get(0).lower())) {
                v[0] += 1;
            }
        }
        if (words.length == 2 && v[1] == 0 && v[2] == 0 && words[1].length() > 2
                && Character.isUpperCase(words[0].charAt(0)) && Character.isUpperCase(words[1].charAt(0))) {
            v[0] += 1; // "Given Family" shape
        }
    }
}
