package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The README's properties table is what users read instead of the IDE's help, so it lists the
 * properties the generated configuration metadata lists, one row each, with the defaults the
 * metadata states. A property added, renamed or given a new default fails here until the README
 * says so.
 */
class ReadmePropertiesTests {

    /** Surefire runs in the module's directory; the README is the repository's. */
    private static final Path README = Path.of("..", "README.md");

    private static final String SECTION = "Properties";

    private static final Pattern HEADING = Pattern.compile("^(#+) (.*)$");

    /** A table row whose first cell starts with a {@code leader.*} property in backticks. */
    private static final Pattern PROPERTY_ROW = Pattern.compile("^\\|\\s*`leader\\.");

    private static final Pattern ONE_PROPERTY = Pattern.compile("`(leader\\.[a-z0-9.-]+)`");

    private static final Pattern FIRST_CODE_SPAN = Pattern.compile("^`([^`]*)`");

    /** Name to stated default (null when the metadata states none), in the metadata's order. */
    private static final Map<String, Object> metadata = new LinkedHashMap<>();

    /** Name to default cell, in the README's order. */
    private static final Map<String, String> readme = new LinkedHashMap<>();

    private static final List<String> malformedRows = new ArrayList<>();

    private static final List<String> repeatedRows = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        readMetadata();
        readReadme();
    }

    @Test
    void tableListsExactlyTheMetadatasProperties() {
        List<String> differences = new ArrayList<>();
        malformedRows.forEach(row -> differences.add("not one property per row: " + row));
        repeatedRows.forEach(name -> differences.add("listed twice: " + name));
        metadata.keySet().stream().filter(name -> !readme.containsKey(name))
                .forEach(name -> differences.add("missing from the README: " + name));
        readme.keySet().stream().filter(name -> !metadata.containsKey(name))
                .forEach(name -> differences.add("in the README but not in the metadata: " + name));
        assertThat(differences).as("README.md's '%s' table against META-INF/spring-configuration-metadata.json", SECTION)
                .isEmpty();
    }

    @Test
    void tableShowsEveryDefaultTheMetadataStates() {
        List<String> differences = new ArrayList<>();
        metadata.forEach((name, stated) -> {
            String cell = readme.get(name);
            if (stated != null && cell != null && !shows(cell, String.valueOf(stated))) {
                differences.add(name + ": the metadata says " + stated + ", the README says " + cell);
            }
        });
        assertThat(differences).as("defaults in README.md's '%s' table", SECTION).isEmpty();
    }

    /**
     * Whether a default cell shows {@code value}: the whole cell, or its leading code span when it
     * explains more after it ({@code `0`: ...}). Backticks are markup; durations compare as written.
     */
    private static boolean shows(String cell, String value) {
        Matcher leading = FIRST_CODE_SPAN.matcher(cell);
        return cell.replace("`", "").equals(value) || (leading.find() && leading.group(1).equals(value));
    }

    @SuppressWarnings("unchecked")
    private static void readMetadata() throws IOException {
        try (InputStream in = ReadmePropertiesTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            Map<String, Object> json = JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            for (Object property : (List<Object>) json.get("properties")) {
                Map<String, Object> entry = (Map<String, Object>) property;
                String name = (String) entry.get("name");
                if (name.startsWith("leader.")) {
                    metadata.put(name, entry.get("defaultValue"));
                }
            }
        }
        assertThat(metadata).as("leader.* properties in the metadata").isNotEmpty();
    }

    private static void readReadme() throws IOException {
        assertThat(README).as("the repository's README, from the module's directory").isRegularFile();
        int level = 0;
        boolean inCode = false;
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            inCode ^= line.startsWith("```");
            Matcher heading = HEADING.matcher(line);
            if (!inCode && heading.matches()) {
                if (level > 0 && heading.group(1).length() <= level) {
                    break;
                }
                if (heading.group(2).equals(SECTION)) {
                    level = heading.group(1).length();
                }
            }
            else if (level > 0 && PROPERTY_ROW.matcher(line).find()) {
                readRow(line);
            }
        }
        assertThat(level).as("a '%s' section in README.md", SECTION).isPositive();
    }

    /** {@code | `leader.x.y` | default | meaning |} */
    private static void readRow(String row) {
        String[] cells = row.split("\\|", -1);
        Matcher property = ONE_PROPERTY.matcher(cells[1].trim());
        if (cells.length != 5 || !property.matches()) {
            malformedRows.add(row);
            return;
        }
        String name = property.group(1);
        if (readme.putIfAbsent(name, cells[2].trim()) != null) {
            repeatedRows.add(name);
        }
    }
}
