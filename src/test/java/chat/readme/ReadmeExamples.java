package chat.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The examples of one section of a Markdown file: each {@code ```bash} block and the fenced block that follows it,
 * which shows what the commands print. A bash block without a shown output is an error: an example whose answer
 * is not documented cannot be checked.
 */
public final class ReadmeExamples {

    /** One example: the commands as written, and the documented output with its fence language ("" if none). */
    public record Example(int number, String commands, String outputLanguage, String output) {
    }

    private ReadmeExamples() {
    }

    public static List<Example> read(Path markdown, String section) {
        try {
            return parse(Files.readString(markdown), section);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Example> parse(String markdown, String section) {
        List<String> lines = sectionLines(markdown, section);
        List<Block> blocks = blocks(lines);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (!block.language().equals("bash")) {
                continue;
            }
            if (i + 1 >= blocks.size() || blocks.get(i + 1).language().equals("bash")) {
                throw new IllegalArgumentException("the bash example at line " + block.line()
                        + " of section '" + section + "' is not followed by a block showing its output");
            }
            Block output = blocks.get(++i);
            examples.add(new Example(examples.size() + 1, block.text(), output.language(), output.text()));
        }
        return examples;
    }

    private static List<String> sectionLines(String markdown, String section) {
        List<String> all = markdown.lines().toList();
        int start = all.indexOf("## " + section);
        if (start < 0) {
            throw new IllegalArgumentException("no section '## " + section + "'");
        }
        int end = start + 1;
        while (end < all.size() && !(all.get(end).startsWith("## ") || all.get(end).startsWith("# "))) {
            end++;
        }
        return all.subList(start + 1, end);
    }

    private record Block(int line, String language, String text) {
    }

    private static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("```")) {
                continue;
            }
            String language = line.substring(3).trim();
            int open = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            if (i >= lines.size()) {
                throw new IllegalArgumentException("unclosed code block at section line " + open);
            }
            blocks.add(new Block(open, language, text.toString()));
        }
        return blocks;
    }
}
