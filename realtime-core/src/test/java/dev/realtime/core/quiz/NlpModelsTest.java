package dev.realtime.core.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenNLP models load from the classpath; without them the generator silently degrades, so this must hold. */
class NlpModelsTest {

    @Test
    void defaultModelFilesAreOnTheClasspath() {
        // fails when the model jars' version changes without NlpModels.DEFAULTS (needed in shaded jars)
        NlpModels.DEFAULTS.forEach((lang, files) -> files.values().forEach(name ->
                assertNotNull(NlpModels.class.getClassLoader().getResource(name), lang + ": " + name)));
    }

    @Test
    void englishAndGermanLoadOnceOtherLanguagesFallBack() {
        assertTrue(NlpModels.of("en").isPresent());
        assertTrue(NlpModels.of("de").isPresent());
        assertSame(NlpModels.of("en").get(), NlpModels.of("en").get(), "loaded once");
        assertFalse(NlpModels.of("nl").isPresent());
    }

    @Test
    void analysesWithTheModelsOrThePlainTextRules() {
        PageAnalyzer.Analysis en = PageAnalyzer.analyze("Mr. Smith moved to Paris in 1891. He studied physics there.");
        assertEquals("en", en.language());
        assertTrue(en.tagged());
        assertEquals(2, en.sentences().size(), "'Mr.' does not end a sentence");
        assertEquals("PROPN", en.sentences().get(0).tokens().get(4).tag(), en.sentences().get(0).tokens().toString());
        PageAnalyzer.Analysis de = PageAnalyzer.analyze("Die Pflanze nimmt Licht auf. Dabei entsteht Sauerstoff.");
        assertEquals("de", de.language());
        assertTrue(de.tagged());
        PageAnalyzer.Analysis nl = PageAnalyzer.analyze("De kering werd in 1986 geopend door koningin Beatrix.");
        assertEquals("nl", nl.language());
        assertFalse(nl.tagged());
        List<PageAnalyzer.Token> tokens = nl.sentences().get(0).tokens();
        assertEquals("NUM", tokens.get(4).tag(), tokens.toString());
        assertEquals("PROPN", tokens.get(8).tag(), tokens.toString());
    }
}
