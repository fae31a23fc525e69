package org.scratchimage.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Holds the parameter tables of docs/configuration.md to the plugin descriptor that maven-plugin-plugin generates
 * from the mojos at process-classes, so that the page cannot drift from the code unnoticed.
 */
class ConfigurationDocsTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", ""));
    private static final Path DOCS = BASEDIR.resolve("docs/configuration.md");
    private static final Path DESCRIPTOR = BASEDIR.resolve("target/classes/META-INF/maven/plugin.xml");

    @Test
    void everyParameterOfEveryGoalIsDocumentedInConfigurationMdAsTheCodeDeclaresIt() throws Exception {
        assertThat(DESCRIPTOR).as("the plugin descriptor; run mvn process-classes first").exists();
        Map<String, Map<String, Parameter>> code;
        try (InputStream in = Files.newInputStream(DESCRIPTOR)) {
            code = descriptor(in);
        }
        assertThat(code).as("goals in plugin.xml").containsKeys("build", "push", "help");

        List<String> problems = compare(code, documented(Files.readString(DOCS, StandardCharsets.UTF_8)));

        if (!problems.isEmpty()) {
            fail("docs/configuration.md does not match the goals' parameters in " + BASEDIR.relativize(DESCRIPTOR)
                    + ":\n  " + String.join("\n  ", problems));
        }
    }

    @Test
    void aParameterMissingFromTheDocsIsNamed() {
        Map<String, Map<String, Parameter>> code = Map.of("build", Map.of(
                "image", new Parameter("image", "java.lang.String", "${project.artifactId}", "scratch.image", true),
                "skip", new Parameter("skip", "boolean", "false", "scratch.skip", true)));

        assertThat(compare(code, documented(page(
                "| [`image`](#image) | `String` | `${project.artifactId}` | `scratch.image` |"))))
                .containsExactly("scratch:build parameter skip is not in the table of parameters");
    }

    @Test
    void aDocumentedParameterThatTheGoalDoesNotHaveIsNamed() {
        Map<String, Map<String, Parameter>> code = Map.of("build", Map.of(
                "skip", new Parameter("skip", "boolean", "false", "scratch.skip", true)));

        assertThat(compare(code, documented(page(
                "| `skip` | `boolean` | `false` | `scratch.skip` |",
                "| `compresion` | `String` | `gzip` | `scratch.compression` |"))))
                .containsExactly(
                        "scratch:build parameter compresion is documented, but the goal has no such parameter");
    }

    @Test
    void aParameterDocumentedTwiceIsNamed() {
        Map<String, Map<String, Parameter>> code = Map.of("build", Map.of(
                "skip", new Parameter("skip", "boolean", "false", "scratch.skip", true)));

        assertThat(compare(code, documented(page(
                "| `skip` | `boolean` | `false` | `scratch.skip` |",
                "| `skip` | `boolean` | `false` | `scratch.skip` |"))))
                .containsExactly("scratch:build parameter skip is documented twice");
    }

    @Test
    void aWrongTypeDefaultOrUserPropertyIsNamedWithBothValues() {
        Map<String, Map<String, Parameter>> code = Map.of("build", Map.of(
                "compression", new Parameter("compression", "java.lang.String", "gzip", "scratch.compression", true),
                "tags", new Parameter("tags", "java.util.List", null, "scratch.tags", true),
                "layers", new Parameter("layers", "java.util.List", null, null, true)));

        assertThat(compare(code, documented(page(
                "| `compression` | `File` | `zstd` | `scratch.codec` |",
                "| `tags` | `List<String>` | `${project.version}` | none |",
                "| `layers` | `List<String>` | in order of first use | `scratch.layers` |"))))
                .containsExactlyInAnyOrder(
                        "scratch:build parameter compression: the docs give type File, the code String",
                        "scratch:build parameter compression: the docs give default `zstd`, the code `gzip`",
                        "scratch:build parameter compression: the docs give user property `scratch.codec`, the code"
                                + " `scratch.compression`",
                        "scratch:build parameter tags: the docs give default `${project.version}`, the code none"
                                + " (write a default the goal works out in words, not in code font)",
                        "scratch:build parameter tags: the docs give user property none, the code `scratch.tags`",
                        "scratch:build parameter layers: the docs give user property `scratch.layers`, the code none");
    }

    @Test
    void aSwitchTakenAsAStringIsDocumentedAsBooleanAndNoOtherStringIs() {
        Map<String, Map<String, Parameter>> code = Map.of("build", Map.of(
                "skip", new Parameter("skip", "java.lang.String", "false", "scratch.skip", true),
                "attach", new Parameter("attach", "java.lang.String", "true", null, true),
                "compression", new Parameter("compression", "java.lang.String", "gzip", "scratch.compression", true),
                "archive", new Parameter("archive", "java.lang.String", "false", null, true)));

        assertThat(compare(code, documented(page(
                "| `skip` | `boolean` | `false` | `scratch.skip` |",
                "| `attach` | `boolean` | `true` | none |",
                "| `compression` | `boolean` | `gzip` | `scratch.compression` |",
                "| `archive` | `String` | `false` | none |"))))
                .containsExactlyInAnyOrder(
                        "scratch:build parameter compression: the docs give type boolean, the code String",
                        "scratch:build parameter archive: the docs give type String, the code boolean (a String read"
                                + " as true or false)");
    }

    @Test
    void aReadOnlyParameterNeedsNoRowAndEachGoalReadsOnlyItsOwnTable() {
        Map<String, Map<String, Parameter>> code = Map.of(
                "build", Map.of("basedir", new Parameter("basedir", "java.io.File", "${project.basedir}", null, false),
                        "skip", new Parameter("skip", "boolean", "false", "scratch.skip", true)),
                "help", Map.of("goal", new Parameter("goal", "java.lang.String", null, "goal", true)));

        assertThat(compare(code, documented(page("| `skip` | `boolean` | `false` | `scratch.skip` |")
                + "\n## `scratch:help`\n\n" + TABLE_HEAD + "| `goal` | `String` | none: every goal | `goal` |\n")))
                .isEmpty();
        assertThat(compare(code, documented(page("| `skip` | `boolean` | `false` | `scratch.skip` |"))))
                .containsExactly("scratch:help parameter goal is not in the table of parameters");
    }

    // ---- the descriptor ----

    /** What the descriptor says of one parameter; {@code defaultValue} and {@code property} are null when unset. */
    record Parameter(String name, String type, String defaultValue, String property, boolean editable) {
    }

    /** @return per goal, its parameters by name, in the descriptor's order */
    static Map<String, Map<String, Parameter>> descriptor(InputStream pluginXml)
            throws ParserConfigurationException, SAXException, IOException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(pluginXml);
        Map<String, Map<String, Parameter>> goals = new LinkedHashMap<>();
        for (Element mojo : children(document.getDocumentElement(), "mojos", "mojo")) {
            Map<String, Element> configuration = new LinkedHashMap<>();
            for (Element value : children(mojo, "configuration", null)) {
                configuration.put(value.getTagName(), value);
            }
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            for (Element parameter : children(mojo, "parameters", "parameter")) {
                String name = text(parameter, "name");
                Element value = configuration.get(name);
                String defaultValue = value == null || !value.hasAttribute("default-value") ? null
                        : value.getAttribute("default-value");
                String expression = value == null ? "" : value.getTextContent().strip();
                String property = expression.startsWith("${") && expression.endsWith("}")
                        ? expression.substring(2, expression.length() - 1) : null;
                parameters.put(name, new Parameter(name, text(parameter, "type"), defaultValue, property,
                        Boolean.parseBoolean(text(parameter, "editable"))));
            }
            goals.put(text(mojo, "goal"), parameters);
        }
        return goals;
    }

    /** @return the elements named {@code name} (any when null) inside the child {@code list} of {@code parent} */
    private static List<Element> children(Element parent, String list, String name) {
        List<Element> found = new ArrayList<>();
        for (Node holder = parent.getFirstChild(); holder != null; holder = holder.getNextSibling()) {
            if (holder instanceof Element e && e.getTagName().equals(list)) {
                for (Node child = e.getFirstChild(); child != null; child = child.getNextSibling()) {
                    if (child instanceof Element c && (name == null || c.getTagName().equals(name))) {
                        found.add(c);
                    }
                }
            }
        }
        return found;
    }

    /** @return the text of the direct child {@code name}: a mojo's {@code <configuration>} may hold a {@code <goal>} */
    private static String text(Element parent, String name) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        return "";
    }

    // ---- the page ----

    private static final String TABLE_HEAD =
            "| Parameter | Type | Default | User property |\n| --- | --- | --- | --- |\n";
    private static final Pattern GOAL_HEADING = Pattern.compile("^#+ .*`scratch:([a-z-]+)`");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    /** One row of a table of parameters: a cell in code font is a literal, anything else (words) is null. */
    record Row(String name, String type, String defaultValue, String property) {
    }

    /**
     * Reads every table whose header is {@code | Parameter | Type | Default | User property |}. Each belongs to the
     * goal that the nearest heading above it names as {@code `scratch:GOAL`}.
     *
     * @return per goal, its rows in page order; a name documented twice appears twice
     */
    static Map<String, List<Row>> documented(String markdown) {
        Map<String, List<Row>> goals = new LinkedHashMap<>();
        String goal = null;
        boolean inTable = false;
        for (String line : markdown.split("\n", -1)) {
            Matcher heading = GOAL_HEADING.matcher(line);
            if (heading.find()) {
                goal = heading.group(1);
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.equals(List.of("Parameter", "Type", "Default", "User property"))) {
                Objects.requireNonNull(goal, "a table of parameters under no heading that names `scratch:GOAL`");
                inTable = true;
            } else if (inTable && !cells.get(0).startsWith("---")) {
                if (cells.size() != 4) {
                    throw new IllegalArgumentException("a row of the parameters of scratch:" + goal
                            + " has " + cells.size() + " cells, not 4: " + line);
                }
                Matcher name = CODE.matcher(cells.get(0));
                if (!name.find()) {
                    throw new IllegalArgumentException("a row of the parameters of scratch:" + goal
                            + " names no parameter in code font: " + line);
                }
                goals.computeIfAbsent(goal, g -> new ArrayList<>()).add(new Row(name.group(1),
                        cells.get(1).replace("`", ""), literal(cells.get(2)), literal(cells.get(3))));
            }
        }
        return goals;
    }

    /** Splits a table row at the {@code |} outside code spans; {@code Map<String,String>} and the like stay whole. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '`') {
                code = !code;
            }
            if (c == '|' && !code) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }

    /** @return the content of a cell that is one code span, else null: the cell is in words */
    private static String literal(String cell) {
        Matcher m = CODE.matcher(cell);
        return m.matches() ? m.group(1) : null;
    }

    // ---- the comparison ----

    /** @return one line per mismatch, naming the goal, the parameter and both sides */
    static List<String> compare(Map<String, Map<String, Parameter>> code, Map<String, List<Row>> docs) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, Parameter>> goal : code.entrySet()) {
            String prefix = "scratch:" + goal.getKey() + " parameter ";
            Map<String, Row> rows = new LinkedHashMap<>();
            for (Row row : docs.getOrDefault(goal.getKey(), List.of())) {
                if (rows.put(row.name(), row) != null) {
                    problems.add(prefix + row.name() + " is documented twice");
                }
            }
            for (Parameter parameter : goal.getValue().values()) {
                Row row = rows.remove(parameter.name());
                if (row == null) {
                    if (parameter.editable()) {
                        problems.add(prefix + parameter.name() + " is not in the table of parameters");
                    }
                    continue;
                }
                String what = prefix + parameter.name() + ": the docs give ";
                String type = documentedType(parameter);
                String rawType = row.type().replaceFirst("<.*", "");
                if (!rawType.equals(type)) {
                    problems.add(what + "type " + rawType + ", the code " + type
                            + (type.equals(simpleName(parameter.type())) ? "" : " (a String read as true or false)"));
                }
                if (!Objects.equals(row.defaultValue(), parameter.defaultValue())) {
                    problems.add(what + "default " + shown(row.defaultValue()) + ", the code "
                            + shown(parameter.defaultValue()) + (parameter.defaultValue() == null
                            ? " (write a default the goal works out in words, not in code font)" : ""));
                }
                if (!Objects.equals(row.property(), parameter.property())) {
                    problems.add(what + "user property " + shown(row.property()) + ", the code "
                            + shown(parameter.property()));
                }
            }
            for (String name : rows.keySet()) {
                problems.add(prefix + name + " is documented, but the goal has no such parameter");
            }
        }
        for (String goal : docs.keySet()) {
            if (!code.containsKey(goal)) {
                problems.add("scratch:" + goal + " has a table of parameters, but the plugin has no such goal");
            }
        }
        return problems;
    }

    /**
     * The type the table shows. A switch is a String parameter (Maven would read a typo in a boolean one as false)
     * whose default is true or false, and which the goal reads with Values.flag: the table says boolean, which is
     * what the user writes.
     */
    private static String documentedType(Parameter parameter) {
        String type = simpleName(parameter.type());
        // A secret such as scratch:push's <password>: declared so that Maven's -X does not print its value, written
        // and documented as a String.
        if (type.equals("PlexusConfiguration")) {
            return "String";
        }
        boolean switchDefault = "true".equals(parameter.defaultValue()) || "false".equals(parameter.defaultValue());
        return type.equals("String") && switchDefault ? "boolean" : type;
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    private static String shown(String value) {
        return value == null ? "none" : "`" + value + "`";
    }

    private static String page(String... rows) {
        return "# Configuring `scratch:build`\n\n## Parameters\n\n" + TABLE_HEAD + String.join("\n", rows) + "\n";
    }
}
