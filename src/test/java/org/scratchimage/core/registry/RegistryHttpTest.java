package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Upload locations as registries send them: absolute or relative, often with a query of their own. */
class RegistryHttpTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final URI POST = URI.create("http://127.0.0.1:5000/v2/team/app/blobs/uploads/");

    @Test
    void anAbsoluteLocationWithAStateQueryGetsAnEncodedDigestAppended() throws IOException {
        URI location = RegistryHttp.resolve(POST, "http://127.0.0.1:5000/v2/team/app/blobs/uploads/"
                + "0b1c-uuid?_state=abc%2Bdef%3D%3D");

        assertThat(RegistryHttp.withDigest(location, DIGEST)).hasToString("http://127.0.0.1:5000/v2/team/app/"
                + "blobs/uploads/0b1c-uuid?_state=abc%2Bdef%3D%3D&digest=sha256%3A" + "ab".repeat(32));
    }

    @Test
    void aRelativeLocationIsResolvedAgainstTheRequest() throws IOException {
        assertThat(RegistryHttp.resolve(POST, "/v2/team/app/blobs/uploads/u?_state=s"))
                .hasToString("http://127.0.0.1:5000/v2/team/app/blobs/uploads/u?_state=s");
        assertThat(RegistryHttp.resolve(POST, "u2")).hasToString("http://127.0.0.1:5000/v2/team/app/blobs/uploads/u2");
        assertThat(RegistryHttp.withDigest(RegistryHttp.resolve(POST, "/upload/u"), DIGEST))
                .hasToString("http://127.0.0.1:5000/upload/u?digest=sha256%3A" + "ab".repeat(32));
        assertThat(RegistryHttp.withDigest(URI.create("https://s.example/u?"), DIGEST))
                .hasToString("https://s.example/u?digest=sha256%3A" + "ab".repeat(32));
        assertThatThrownBy(() -> RegistryHttp.resolve(POST, "http://bad host/"))
                .isInstanceOf(IOException.class).hasMessageContaining("not a URI");
    }

    @Test
    void sameOriginCountsDefaultPorts() {
        assertThat(RegistryHttp.sameOrigin(URI.create("https://r.example/v2/"), URI.create("https://R.example:443/x")))
                .isTrue();
        assertThat(RegistryHttp.sameOrigin(URI.create("http://127.0.0.1:5000/"), URI.create("http://127.0.0.1:5001/")))
                .isFalse();
        assertThat(RegistryHttp.sameOrigin(URI.create("https://r.example/"), URI.create("http://r.example:443/")))
                .isFalse();
        assertThat(RegistryHttp.sameOrigin(URI.create("https://r.example/"), URI.create("https://s.example/")))
                .isFalse();
    }

    @Test
    void theRegistrysErrorsAreQuotedWithCodesAndBodiesThatAreNotJsonBriefly() {
        assertThat(RegistryErrors.describe(("{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid "
                + "repository name\",\"detail\":{\"name\":\"Team\"}},{\"code\":\"DENIED\",\"message\":\"no\"}]}")
                .getBytes())).isEqualTo("NAME_INVALID: invalid repository name ({name=Team}); DENIED: no");
        assertThat(RegistryErrors.describe("404 page not found\n".getBytes())).isEqualTo("404 page not found");
        assertThat(RegistryErrors.describe("x".repeat(500).getBytes())).hasSize(201);
        assertThat(RegistryErrors.describe(new byte[0])).isEmpty();
        assertThat(RegistryErrors.describe("{\"other\":1}".getBytes())).isEqualTo("{\"other\":1}");
    }
}
