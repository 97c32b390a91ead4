package dev.realtime.core.quiz;

import java.util.Locale;

/**
 * A key term of a page: a name, a number, a date or a noun phrase, where it occurs, and what kind of thing it is.
 * Distractors for a term are only ever drawn from terms of the same {@link Kind}.
 *
 * @param text     the term as written in the sentence
 * @param kind     what it is
 * @param sentence index of its sentence in the page analysis
 * @param from     index of its first token in the sentence
 * @param to       index after its last token
 * @param unit     for numbers: the lower-case noun after it ("litres"), else empty
 */
record Term(String text, Kind kind, int sentence, int from, int to, String unit) {

    /** Kinds of terms. */
    enum Kind {
        PERSON, PLACE, NAME, YEAR, DATE, NUMBER, PROCESS, THING;

        boolean numeric() {
            return this == YEAR || this == DATE || this == NUMBER;
        }

        boolean proper() {
            return this == PERSON || this == PLACE || this == NAME;
        }
    }

    Term withKind(Kind k) {
        return new Term(text, k, sentence, from, to, unit);
    }

    String key() {
        return text.toLowerCase(Locale.ROOT);
    }

    int words() {
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                n++;
            }
        }
        return n;
    }
}
