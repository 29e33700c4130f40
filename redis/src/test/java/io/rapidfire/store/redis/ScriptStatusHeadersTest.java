package io.rapidfire.store.redis;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every code a script's header lists under "Output" is one {@link ScriptStatus} maps for that script, and the other
 * way round: a new code, or a status for a code no script returns, fails here.
 */
@Tag("fast")
class ScriptStatusHeadersTest {
    /** A code at the start of an output line or list item: "1 acknowledged", "code -1  unknown", ", 0 nothing". */
    private static final Pattern CODE = Pattern.compile("(?m)(?:Output:|,|\\bor|^)\\s*(?:code\\s+)?(-?\\d+)\\s+(?=[a-z(])");

    private static List<String> files() {
        List<String> files = new ArrayList<>();
        for (LuaScripts.Script s : LuaScripts.Script.values()) {
            files.add(s.file);
        }
        files.add("bullmq/addJob-8.lua");
        files.add("bullmq/withdrawJob-4.lua");
        return files;
    }

    /** The codes a header lists; none for a script that answers data (a table without a code) or a count. */
    static Set<Long> headerCodes(String source) {
        String header = source.substring(0, source.indexOf("]]"));
        String output = header.substring(header.indexOf("Output:"));
        Set<Long> codes = new TreeSet<>();
        String first = output.lines().findFirst().orElse("");
        if (first.contains("{") && !first.contains("code")) {
            return codes;
        }
        Matcher m = CODE.matcher(output);
        while (m.find()) {
            codes.add(Long.parseLong(m.group(1)));
        }
        return codes;
    }

    private static Set<Long> statusCodes(String file) {
        Set<Long> codes = new TreeSet<>();
        for (ScriptStatus s : ScriptStatus.values()) {
            if (s.scripts.contains(ScriptStatus.name(file))) {
                codes.add((long) s.code);
            }
        }
        return codes;
    }

    @Test
    void everyHeadersCodesAreTheStatusesOfItsScript() {
        for (String file : files()) {
            Set<Long> listed = headerCodes(LuaScripts.read("/lua/" + file));
            assertThat(statusCodes(file)).as("codes of " + file + " in ScriptStatus vs its header").isEqualTo(listed);
        }
    }

    @Test
    void everyStatusNamesScriptsThatExist() {
        Set<String> names = new TreeSet<>();
        files().forEach(f -> names.add(ScriptStatus.name(f)));
        for (ScriptStatus s : ScriptStatus.values()) {
            assertThat(names).as(s + "'s scripts").containsAll(s.scripts);
        }
    }

    @Test
    void theParserReadsEachHeaderStyle() {
        assertThat(headerCodes("Output: 1 renewed, -1 gone (a, b or c), -2 taken over,\n   -4 superseded\n]]"))
                .containsExactly(-4L, -2L, -1L, 1L);
        assertThat(headerCodes("Output: { code, x }\n  code  1  appended\n  code -1  unknown\n]]"))
                .containsExactly(-1L, 1L);
        assertThat(headerCodes("Output: { nowMs, next }\n  next  earliest, -1 when empty\n]]")).isEmpty();
        assertThat(headerCodes("Output: number of messages replayed, or -1 when there is none\n]]"))
                .containsExactly(-1L);
    }

    @Test
    void aCodeMeansWhatItsScriptSays() {
        assertThat(ScriptStatus.of(1, "append")).isEqualTo(ScriptStatus.APPENDED);
        assertThat(ScriptStatus.of(1, "commit-6.lua")).isEqualTo(ScriptStatus.COMMITTED);
        assertThat(ScriptStatus.of(1, "bullmq/addJob-8.lua")).isEqualTo(ScriptStatus.OK);
        assertThat(ScriptStatus.countOrCode(3, "replayDeadLetter")).isEqualTo(3);
    }
}
