package io.portcullis.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a located {@link YamlNode} tree with Jackson's streaming YAML parser. Anchors and aliases are
 * supported (an alias shares the anchored node, locations included); duplicate keys and unknown aliases are problems;
 * a syntax error ends reading with a single located problem.
 */
final class YamlTreeReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final Problems problems;
    private final String sourceName;
    private final Map<String, YamlNode> anchors = new HashMap<>();

    private YamlTreeReader(String sourceName, Problems problems) {
        this.sourceName = sourceName;
        this.problems = problems;
    }

    /**
     * @return the document's root, or {@code null} for an empty document (nothing but comments)
     * @throws ConfigException on a YAML syntax error
     */
    static YamlNode read(String yaml, String sourceName, Problems problems) throws ConfigException {
        return new YamlTreeReader(sourceName, problems).readDocument(yaml);
    }

    private YamlNode readDocument(String yaml) throws ConfigException {
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            YamlNode root = readValue(parser);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                problems.add(at.getLineNr(), at.getColumnNr(),
                        "a second YAML document (expected: one document per config file)");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxProblem(e));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(sourceName, 1, 1, "cannot read: " + e.getMessage()));
        }
    }

    /** Reads the value whose first token is the current token. */
    private YamlNode readValue(YAMLParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        String anchor = parser.getObjectId();
        YamlNode node;
        if (token == JsonToken.START_OBJECT) {
            node = readMap(parser, line, column);
        } else if (token == JsonToken.START_ARRAY) {
            node = readList(parser, line, column);
        } else if (parser.isCurrentAlias()) {
            String name = parser.getText();
            YamlNode target = anchors.get(name);
            if (target == null) {
                problems.add(line, column, "*" + name + ": unknown alias (expected: the name of an anchor (&"
                        + name + ") defined earlier in the file)");
                return new YamlNode.ScalarNode("", true, line, column);
            }
            return target;
        } else if (token == JsonToken.VALUE_NULL) {
            node = new YamlNode.ScalarNode("", true, line, column);
        } else {
            node = new YamlNode.ScalarNode(parser.getText(), false, line, column);
        }
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private YamlNode readMap(YAMLParser parser, int line, int column) throws IOException {
        Map<String, YamlNode.MapNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            JsonLocation keyAt = parser.currentTokenLocation();
            YamlNode.Key key = new YamlNode.Key(parser.currentName(), keyAt.getLineNr(), keyAt.getColumnNr());
            parser.nextToken();
            YamlNode value = readValue(parser);
            YamlNode.MapNode.Entry previous = entries.get(key.name());
            if (previous != null) {
                problems.add(key, key.name() + ": duplicate key (expected: each key once per map; first at line "
                        + previous.key().line() + ")");
            } else {
                entries.put(key.name(), new YamlNode.MapNode.Entry(key, value));
            }
        }
        return new YamlNode.MapNode(entries, line, column);
    }

    private YamlNode readList(YAMLParser parser, int line, int column) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(parser));
        }
        return new YamlNode.ListNode(items, line, column);
    }

    private ConfigProblem syntaxProblem(JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked
                && marked.getProblemMark() != null) {
            var mark = marked.getProblemMark();
            StringBuilder message = new StringBuilder("YAML syntax error: ").append(clean(marked.getProblem()));
            if (marked.getContext() != null) {
                message.append(" (").append(clean(marked.getContext()));
                var contextMark = marked.getContextMark();
                if (contextMark != null) {
                    message.append(" started at line ").append(contextMark.getLine() + 1)
                            .append(", column ").append(contextMark.getColumn() + 1);
                }
                message.append(')');
            }
            return new ConfigProblem(sourceName, mark.getLine() + 1, mark.getColumn() + 1, message.toString());
        }
        JsonLocation at = e.getLocation();
        int line = at == null || at.getLineNr() < 1 ? 1 : at.getLineNr();
        int column = at == null || at.getColumnNr() < 1 ? 1 : at.getColumnNr();
        return new ConfigProblem(sourceName, line, column, "YAML syntax error: " + clean(e.getOriginalMessage()));
    }

    private static String clean(String s) {
        return s == null ? "" : s.strip().replace('\n', ' ');
    }
}
