package org.scratchimage.examples.greeting;

/** The reactor's own library module. */
public final class Greeting {
    private Greeting() {
    }

    public static String of(String name) {
        return "Hello, " + name + "!";
    }
}
