package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WWW-Authenticate values as registry 2.8 and others send them: quoted commas and spaces must not split them. */
class ChallengeTest {

    @Test
    void readsTheMountChallengeWithTwoScopesInOneQuotedParameter() {
        List<Challenge> challenges = Challenge.parse("Bearer realm=\"https://auth.example:5001/token\","
                + "service=\"test-registry\",scope=\"repository:team/app:pull,push repository:team/base:pull\"");

        assertThat(challenges).hasSize(1);
        Challenge bearer = challenges.get(0);
        assertThat(bearer.scheme()).isEqualTo("bearer");
        assertThat(bearer.parameter("realm")).isEqualTo("https://auth.example:5001/token");
        assertThat(bearer.parameter("service")).isEqualTo("test-registry");
        assertThat(bearer.scopes()).containsExactly("repository:team/app:pull,push", "repository:team/base:pull");
    }

    @Test
    void keepsInsufficientScopeAndEscapedQuotes() {
        Challenge bearer = Challenge.parse("Bearer realm=\"r\", error=\"insufficient_scope\", "
                + "error_description=\"say \\\"no\\\", twice\"").get(0);

        assertThat(bearer.parameters()).containsExactly(Map.entry("realm", "r"),
                Map.entry("error", "insufficient_scope"), Map.entry("error_description", "say \"no\", twice"));
    }

    @Test
    void splitsSeveralChallengesInOneHeaderAndPrefersBearer() {
        List<Challenge> challenges = Challenge.parse("Basic realm=\"basic-realm\", BEARER realm=x , service=y");

        assertThat(challenges).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(challenges.get(1).parameter("service")).isEqualTo("y");
        assertThat(Challenge.choose(List.of("Basic realm=\"a\"", "Bearer realm=\"b\"")).parameter("realm"))
                .isEqualTo("b");
        assertThat(Challenge.choose(List.of("Basic realm=\"basic-realm\"")).scheme()).isEqualTo("basic");
        assertThat(Challenge.choose(List.of("Negotiate"))).isNull();
    }

    @Test
    void anUnterminatedQuoteOrGarbageEndsTheListInsteadOfThrowing() {
        assertThat(Challenge.parse("Bearer realm=\"unterminated, service=x").get(0).parameter("realm"))
                .isEqualTo("unterminated, service=x");
        assertThat(Challenge.parse("")).isEmpty();
        assertThat(Challenge.parse("Basic")).extracting(Challenge::scheme).containsExactly("basic");
        assertThat(Challenge.parse("Bearer realm=\"r\" \"stray\"")).hasSize(1);
    }
}
