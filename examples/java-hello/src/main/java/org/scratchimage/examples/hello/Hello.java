package org.scratchimage.examples.hello;

/** Prints a greeting from inside a from-scratch image: no distro, only a jlink runtime and this jar. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("Hello from scratch! Java " + Runtime.version().feature()
                + " on " + System.getProperty("os.arch"));
    }
}
