package io.headerlog.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryCheckTest {

    /** A registry whose subject listing fails with {@code message}; the check calls nothing else. */
    private static SchemaRegistryClient failingWith(String message) {
        return (SchemaRegistryClient) java.lang.reflect.Proxy.newProxyInstance(RegistryCheckTest.class.getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("subjects")) {
                        throw new SchemaRegistryException(message);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void shouldPassARegistryThatAnswers() {
        assertThat(RegistryCheck.problem(new InMemorySchemaRegistryClient(), "http://127.0.0.1:8081")).isNull();
    }

    @Test
    void shouldNameTheAddressAndWhatToDoWhenTheClientDoesNot() {
        assertThat(RegistryCheck.problem(failingWith("HTTP 500"), "http://reg:8081"))
                .isEqualTo("schema registry at http://reg:8081 is not usable (HTTP 500); start the local stack"
                        + " (./headerlog stack start) or pass --registry-url");
    }

    @Test
    void shouldKeepTheClientsMessageWhenItAlreadySaysWhatToDo() {
        String hint = "Cannot reach the schema registry at http://reg:8081; pass --registry-url with a running one.";
        assertThat(RegistryCheck.problem(failingWith(hint), "http://reg:8081")).isEqualTo(hint);
    }
}
