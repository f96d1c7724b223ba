package io.datomicgitops;

import io.datomicgitops.testing.Pasted;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLinesTest {
    @Test
    void plainWordsStayAsTypedAndTheRestArriveLiterallyWhenPastedIntoAShell() {
        assertThat(CommandLines.of("datomic-gitops", "force-unlock", "prod", "--lock-id", "6f1c-22", "--region", "us-east-1"))
                .isEqualTo("datomic-gitops force-unlock prod --lock-id 6f1c-22 --region us-east-1");

        List<String> awkward = List.of("/tmp/ops clone/config", "it's", "$HOME", "`id`", "a,b", "Stacks[].StackName", "*", "",
                "semi;colon", "(paren)", "tab\there", "new\nline", "ünï");
        String line = CommandLines.of(java.util.stream.Stream.concat(java.util.stream.Stream.of("git"), awkward.stream()).toList());
        assertThat(line).startsWith("git '/tmp/ops clone/config' 'it'\"'\"'s' '$HOME'");
        assertThat(Pasted.arguments(line)).containsExactlyElementsOf(awkward);
    }

    @Test
    void aPrintedCommandEndsWhereThePunctuationOfTheSentenceBegins() {
        String text = "error: stack x: stuck (wait for it (" + CommandLines.of("aws", "cloudformation", "describe-stacks", "--query",
                "Stacks[?StackName=='a, b (c)'].StackStatus", "--region", "us-east-1") + "), then re-run)";
        assertThat(Pasted.command(text, "aws"))
                .isEqualTo("aws cloudformation describe-stacks --query 'Stacks[?StackName=='\"'\"'a, b (c)'\"'\"'].StackStatus' --region us-east-1");
    }
}
