package dev.realtime.core.quiz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A varied test corpus for the offline question generator, built as a real PDF with PDFBox and read back through
 * {@link PdfBoxDocumentReader} (so the generator sees what a user's upload gives it): science, history, a technical
 * manual, a page with a table, a German and a Dutch page, and a blank page. Also a hand-labelled oracle of the kind
 * of every name in the corpus (person, place, other name), used to judge whether distractors match the answer's kind.
 */
final class OfflineCorpus {
    /** Kinds the oracle assigns to an option. */
    enum Kind { PERSON, PLACE, NAME, YEAR, NUMBER, CONCEPT }

    /**
     * One corpus page.
     *
     * @param name        short label for the figures
     * @param informative whether it has at least three informative sentences (so it must yield a question)
     */
    record Page(String name, String text, List<List<String>> table, boolean informative) {
    }

    static final List<Page> PAGES = List.of(
            new Page("water cycle", "The water cycle describes how water moves between the oceans, the air and the "
                    + "land. Evaporation turns liquid water from oceans and lakes into water vapour when the sun heats "
                    + "the surface. Condensation happens when the vapour cools in the upper air and forms the tiny "
                    + "droplets that make up clouds. Precipitation returns the water to the ground as rain, snow or "
                    + "hail, and rivers carry much of it back to the sea.", null, true),
            new Page("plate tectonics", "The outer shell of the Earth is broken into large slabs called tectonic "
                    + "plates. The plates float on the hot, soft rock of the mantle and move a few centimetres each "
                    + "year. Where two plates collide, the crust folds upwards and forms mountain ranges such as the "
                    + "Himalayas. Earthquakes occur when stress builds up along a fault and is suddenly released. In "
                    + "1912 the German scientist Alfred Wegener proposed that the continents had once formed a single "
                    + "landmass called Pangaea.", null, true),
            new Page("the heart", "The heart is a muscular organ that pumps blood through the body. It has four "
                    + "chambers: two atria receive blood and two ventricles push it out. The right ventricle sends "
                    + "blood to the lungs, where it picks up oxygen. The left ventricle pumps oxygen-rich blood into "
                    + "the aorta, the largest artery of the body. An adult heart beats about 70 times a minute and "
                    + "pumps roughly 5 litres of blood every minute. In 1628 the English physician William Harvey "
                    + "described the circulation of the blood.", null, true),
            new Page("blank", null, null, false),
            new Page("French Revolution", "The French Revolution began in 1789, when the Estates-General met at "
                    + "Versailles. On 14 July 1789 a crowd in Paris stormed the Bastille, a royal fortress and prison. "
                    + "King Louis XVI was executed in 1793 after the monarchy had been abolished. Maximilien "
                    + "Robespierre led the Committee of Public Safety during the Reign of Terror. In 1799 Napoleon "
                    + "Bonaparte seized power in a coup, and he crowned himself emperor in 1804.", null, true),
            new Page("Apollo 11", "Apollo 11 was the first crewed mission to land on the Moon. The spacecraft was "
                    + "launched from Kennedy Space Center in Florida on 16 July 1969. Neil Armstrong and Buzz Aldrin "
                    + "landed the lunar module Eagle in the Sea of Tranquility, while Michael Collins stayed in orbit. "
                    + "Armstrong stepped onto the surface and said that it was one small step for a man. The crew "
                    + "returned to Earth and splashed down in the Pacific Ocean on 24 July 1969.", null, true),
            new Page("filter manual", "Installing the AquaPure 300 water filter\nClose the main water valve before "
                    + "you remove the old cartridge. Turn the cartridge anticlockwise and pull it out of the housing. "
                    + "Insert the new cartridge and turn it clockwise until it clicks. Open the valve slowly and let "
                    + "the water run for 5 minutes to flush out the carbon dust. Replace the cartridge every 6 months "
                    + "or after 2,000 litres, whichever comes first. If the indicator light flashes red, press the "
                    + "reset button for 3 seconds.", null, true),
            new Page("planets table", "The planets of the inner Solar System\nThe four inner planets are small, "
                    + "rocky worlds made of metal and rock. Mercury is the planet closest to the Sun and has no moons. "
                    + "Venus is the hottest planet because its thick atmosphere traps heat. Mars has two small moons "
                    + "called Phobos and Deimos. The table lists the distance of each planet from the Sun.",
                    List.of(List.of("Planet", "Distance (million km)", "Moons"), List.of("Mercury", "58", "0"),
                            List.of("Venus", "108", "0"), List.of("Earth", "150", "1"), List.of("Mars", "228", "2")),
                    true),
            new Page("Photosynthese (de)", "Die Photosynthese\nPflanzen wandeln bei der Photosynthese Lichtenergie "
                    + "in chemische Energie um. In den Chloroplasten der Blätter wird Kohlendioxid mit Wasser zu "
                    + "Traubenzucker verbunden. Dabei entsteht Sauerstoff, den die Pflanze an die Luft abgibt. Der "
                    + "grüne Farbstoff Chlorophyll nimmt vor allem rotes und blaues Licht auf. Der Chemiker Melvin "
                    + "Calvin klärte im Jahr 1950 den Ablauf der Dunkelreaktion auf.", null, true),
            new Page("Industrial Revolution", "The Industrial Revolution began in Britain in the second half of the "
                    + "18th century. In 1769 James Watt patented an improved steam engine that used a separate "
                    + "condenser. Factories in Manchester used steam power to spin cotton on a large scale. George "
                    + "Stephenson built the Rocket, a locomotive that won the Rainhill Trials in 1829. The first "
                    + "public railway that used steam locomotives opened between Stockton and Darlington in 1825.",
                    null, true),
            new Page("Deltawerken (nl)", "De Nederlandse Delta\nDe rivieren Rijn, Maas en Schelde monden in "
                    + "Nederland uit in de Noordzee. Na de watersnoodramp van 1953 besloot de regering tot de bouw "
                    + "van de Deltawerken. De Oosterscheldekering werd in 1986 geopend door koningin Beatrix. De "
                    + "kering is ongeveer 9 kilometer lang en heeft 62 beweegbare schuiven. Bij storm worden de "
                    + "schuiven gesloten om het land tegen het zeewater te beschermen.", null, true),
            new Page("HTTPS", "How HTTPS protects a connection\nHTTPS is the secure version of HTTP, the protocol "
                    + "that browsers use to load web pages. Encryption scrambles the data so that only the browser "
                    + "and the server can read it. Authentication relies on a certificate that a trusted authority "
                    + "has signed. The TLS handshake agrees on the keys before any page content is sent. Port 443 is "
                    + "the default port for HTTPS, while plain HTTP uses port 80.", null, true));

    private static final Map<String, Kind> LABELS = new HashMap<>();
    private static final Map<String, Kind> NAMES = new HashMap<>(); // as written

    static {
        label(Kind.PERSON, "Alfred Wegener", "Wegener", "William Harvey", "Harvey", "Louis XVI", "King Louis XVI",
                "Maximilien Robespierre", "Robespierre", "Napoleon Bonaparte", "Napoleon", "Bonaparte",
                "Neil Armstrong", "Armstrong", "Buzz Aldrin", "Aldrin", "Michael Collins", "Collins", "James Watt",
                "Watt", "George Stephenson", "Stephenson", "Melvin Calvin", "Calvin", "Beatrix", "koningin Beatrix");
        label(Kind.PLACE, "Himalayas", "Pangaea", "Versailles", "Paris", "Bastille", "Kennedy Space Center",
                "Florida", "Moon", "Earth", "Sea of Tranquility", "Pacific Ocean", "Britain", "Manchester", "Stockton",
                "Darlington", "Rainhill", "Nederland", "Noordzee", "Rijn", "Maas", "Schelde", "Sun", "Mercury",
                "Venus", "Mars", "Phobos", "Deimos", "Solar System", "Nederlandse Delta");
        label(Kind.NAME, "Estates-General", "Committee of Public Safety", "Public Safety", "Reign of Terror",
                "Terror", "Apollo 11", "Apollo", "Eagle", "French Revolution", "Industrial Revolution", "Rocket",
                "Rainhill Trials", "AquaPure 300", "AquaPure", "HTTPS", "HTTP", "TLS", "Deltawerken",
                "Oosterscheldekering", "German", "English", "French");
        // held-out pages (TestPdfs.PAGES), labelled after the generator was tuned on the corpus above
        label(Kind.PERSON, "Marie Curie", "Pierre Curie", "Curie", "Curies", "Henri Becquerel", "Becquerel",
                "Ada Lovelace", "Lovelace", "Lord Byron", "Byron", "Anne Isabella Milbanke", "Charles Babbage",
                "Babbage", "Luigi Menabrea", "Menabrea", "Julius Caesar", "Caesar", "Pompey", "Cleopatra", "Brutus",
                "Cassius");
        label(Kind.PLACE, "Warsaw", "Poland", "Russian Empire", "France", "London", "Rubicon", "Pharsalus", "Egypt",
                "Alexandria", "Rome", "Europe");
        label(Kind.NAME, "University of Paris", "Sorbonne", "Nobel Prize", "Nobel Prize in Physics", "Physics",
                "Chemistry", "First World War", "Difference Engine", "Analytical Engine", "Senate", "Julian",
                "Roman", "Ides of March", "Italian", "Bernoulli", "Life of Marie Curie");
        // German and Dutch common nouns (German capitalises every noun, so shape alone would call them names)
        label(Kind.CONCEPT, "Photosynthese", "Lichtenergie", "Energie", "chemische Energie", "Chloroplasten",
                "Blätter", "Kohlendioxid", "Wasser", "Traubenzucker", "Sauerstoff", "Pflanze", "Pflanzen", "Luft",
                "Farbstoff", "Chlorophyll", "Licht", "Ablauf", "Dunkelreaktion", "Chemiker", "Jahr");
    }

    private static final Pattern YEAR = Pattern.compile("(1[0-9]{3}|20[0-9]{2})|\\d{1,4} BC|\\d{1,2}(th|st|nd|rd) "
            + "century|\\d{1,2} [A-Z][a-z]+ \\d{4}");
    private static final Pattern NUMBER = Pattern.compile("[\\d.,]+(\\s+\\p{L}+)?");

    private OfflineCorpus() {
    }

    private static void label(Kind kind, String... names) {
        for (String n : names) {
            LABELS.put(n.toLowerCase(Locale.ROOT), kind);
            NAMES.put(n, kind);
        }
    }

    /** The corpus as one PDF, one page per {@link #PAGES} entry (the blank page included). */
    static byte[] pdf() {
        return pdf(PAGES.size());
    }

    /** A PDF of {@code n} pages cycling through the corpus. */
    static byte[] pdf(int n) {
        TestPdfs b = TestPdfs.builder();
        for (int i = 0; i < n; i++) {
            Page p = PAGES.get(i % PAGES.size());
            if (p.text() == null) {
                b.blank();
            } else if (p.table() != null) {
                b.table(p.text(), p.table());
            } else {
                b.text(p.text());
            }
        }
        return b.build();
    }

    /** The text of every page of {@code pdf} as {@link PdfBoxDocumentReader} extracts it. */
    static List<String> texts(byte[] pdf) {
        List<String> out = new ArrayList<>();
        try (PdfDocument doc = PdfDocumentReader.pdfBox().open(new java.io.ByteArrayInputStream(pdf), 1000)) {
            for (int p = 1; p <= doc.pageCount(); p++) {
                out.add(doc.pageText(p));
            }
        }
        return out;
    }

    /** What the oracle says an option is: a labelled name, else by shape (year, number, other capitalised, concept). */
    static Kind kindOf(String option) {
        String o = option.strip();
        Kind labelled = LABELS.get(o.toLowerCase(Locale.ROOT));
        if (labelled != null && (labelled == Kind.CONCEPT || !Character.isLowerCase(o.charAt(0)))) {
            return labelled; // names are labelled as capitalised: "the sun" is a thing, "the Sun" a place
        }
        if (YEAR.matcher(o).matches()) {
            return Kind.YEAR;
        }
        if (NUMBER.matcher(o).matches()) {
            return Kind.NUMBER;
        }
        String best = null;
        for (String name : NAMES.keySet()) { // a phrase around a labelled name ("the physicist William Harvey")
            if (Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(o).find()
                    && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        if (best != null) {
            return NAMES.get(best);
        }
        return Character.isUpperCase(o.charAt(0)) ? Kind.NAME : Kind.CONCEPT;
    }
}
