package chat.chats.control;

import chat.problems.Problem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MembersTest {

    @Test
    void sortsAndRemovesDuplicates() {
        assertThat(Members.of(List.of("John", "Barry", "John")).userIds(), contains("Barry", "John"));
    }

    @Test
    void orderAndDuplicatesDoNotChangeTheKey() {
        assertThat(Members.of(List.of("a", "b", "b")).key(), is(Members.of(List.of("b", "a")).key()));
    }

    @Test
    void keyIsUnambiguous() {
        assertThat(Members.of(List.of("a-b", "c")).key(), is(not(Members.of(List.of("a", "b-c")).key())));
        assertThat(Members.of(List.of("ab")).key(), is(not(Members.of(List.of("a", "b")).key())));
        assertThat(Members.of(List.of("1:a")).key(), is(not(Members.of(List.of("1", "a")).key())));
    }

    @Test
    void keyIsSha256Hex() {
        assertThat(Members.of(List.of("a")).key().matches("[0-9a-f]{64}"), is(true));
    }

    @Test
    void keepsIdsExactly() {
        assertThat(Members.of(List.of("John", "john", " John")).userIds(), contains(" John", "John", "john"));
    }

    @Test
    void rejectsMissingBlankAndTooMany() {
        assertThat(assertThrows(Problem.class, () -> Members.of(null)).id(), is("chat.New.MissingUserIDs"));
        assertThat(assertThrows(Problem.class, () -> Members.of(List.of())).id(), is("chat.New.MissingUserIDs"));
        assertThat(assertThrows(Problem.class, () -> Members.of(List.of(" "))).id(), is("chat.New.InvalidUserID"));
        assertThat(assertThrows(Problem.class, () -> Members.of(Arrays.asList("a", null))).id(),
                is("chat.New.InvalidUserID"));
        List<String> many = Collections.nCopies(1001, "x").stream().map(s -> s + Math.random()).toList();
        assertThat(assertThrows(Problem.class, () -> Members.of(many)).id(), is("chat.New.TooManyUserIDs"));
        assertThat(Members.of(Collections.nCopies(5000, "same")).userIds(), contains("same"));
    }

    @Test
    void rejectsControlCharactersInUserIds() {
        assertThat(assertThrows(Problem.class, () -> Members.of(List.of("John", "Barry\r\nforged"))).id(),
                is("chat.New.InvalidUserID"));
        assertThat(assertThrows(Problem.class, () -> Members.of(List.of("a\tb"))).id(), is("chat.New.InvalidUserID"));
        assertThat(assertThrows(Problem.class, () -> Members.of(List.of("c1\u009b"))).id(), is("chat.New.InvalidUserID"));
    }
}
