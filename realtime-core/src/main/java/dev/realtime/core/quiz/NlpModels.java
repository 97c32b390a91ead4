package dev.realtime.core.quiz;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import opennlp.tools.postag.POSModel;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.tokenize.TokenizerModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apache OpenNLP sentence, tokenizer and Universal-Dependencies part-of-speech models of a language, loaded
 * from the classpath (the {@code opennlp-models-*} jars from Maven Central) once, on first use. Never downloads
 * anything; a language without models makes callers fall back to plain-text rules.
 *
 * <p>Thread-safe: models are immutable and shared; the OpenNLP {@code *ME} tools built from them are not, so callers
 * create their own per call.
 */
final class NlpModels {
    private static final Logger log = LoggerFactory.getLogger(NlpModels.class);
    /** language -> models, or empty when that language has no (loadable) models; filled lazily. */
    private static final Map<String, Optional<Models>> LOADED = new ConcurrentHashMap<>();

    /** The three models of one language. */
    record Models(SentenceModel sentences, TokenizerModel tokens, POSModel pos) {
    }

    /** The model files of the {@code opennlp-models-*} jars in the build (see the parent POM). */
    static final Map<String, Map<String, String>> DEFAULTS = Map.of(
            "en", Map.of("sentence", "opennlp-en-ud-ewt-sentence-1.3-2.5.4.bin",
                    "tokens", "opennlp-en-ud-ewt-tokens-1.3-2.5.4.bin",
                    "pos", "opennlp-en-ud-ewt-pos-1.3-2.5.4.bin"),
            "de", Map.of("sentence", "opennlp-de-ud-gsd-sentence-1.3-2.5.4.bin",
                    "tokens", "opennlp-de-ud-gsd-tokens-1.3-2.5.4.bin",
                    "pos", "opennlp-de-ud-gsd-pos-1.3-2.5.4.bin"));

    private NlpModels() {
    }

    /** The models of {@code language} ({@code en}, {@code de}), or empty when the classpath has none for it. */
    static Optional<Models> of(String language) {
        return LOADED.computeIfAbsent(language, NlpModels::load);
    }

    private static Optional<Models> load(String language) {
        Map<String, String> files = Catalog.FILES.getOrDefault(language, Map.of());
        String sent = files.get("sentence");
        String tok = files.get("tokens");
        String pos = files.get("pos");
        if (sent == null || tok == null || pos == null) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        try (InputStream s = resource(sent); InputStream t = resource(tok); InputStream p = resource(pos)) {
            Models m = new Models(new SentenceModel(s), new TokenizerModel(t), new POSModel(p));
            log.debug("loaded OpenNLP {} models in {} ms", language, (System.nanoTime() - start) / 1_000_000);
            return Optional.of(m);
        } catch (IOException | RuntimeException e) {
            log.warn("OpenNLP {} models could not be loaded, using the plain-text fallback: {}", language, e.toString());
            return Optional.empty();
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = NlpModels.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing model resource " + name);
        }
        return in;
    }

    /**
     * The model files: those of the {@code opennlp-models-*} 1.3.0 jars this build depends on, overridden by what
     * every {@code model.properties} on the classpath names (a newer model jar). The defaults matter in a shaded
     * jar, where only one of the identically named {@code model.properties} files survives. Read once.
     */
    private static final class Catalog {
        /** language -> component (sentence, tokens, pos) -> resource name. */
        static final Map<String, Map<String, String>> FILES = scan();

        private static Map<String, Map<String, String>> scan() {
            Map<String, Map<String, String>> out = new HashMap<>();
            out.put("en", new HashMap<>(DEFAULTS.get("en")));
            out.put("de", new HashMap<>(DEFAULTS.get("de")));
            try {
                Enumeration<URL> urls = NlpModels.class.getClassLoader().getResources("model.properties");
                while (urls.hasMoreElements()) {
                    Properties p = new Properties();
                    try (InputStream in = urls.nextElement().openStream()) {
                        p.load(in);
                    }
                    String name = p.getProperty("model.name");
                    String lang = p.getProperty("model.language");
                    if (name == null || lang == null) {
                        continue;
                    }
                    for (String component : new String[] {"sentence", "tokens", "pos"}) {
                        if (name.contains("-" + component + "-")) {
                            out.computeIfAbsent(lang, k -> new HashMap<>()).put(component, name);
                        }
                    }
                }
            } catch (IOException e) {
                log.warn("could not list OpenNLP models on the classpath: {}", e.toString());
            }
            return out;
        }
    }
}
