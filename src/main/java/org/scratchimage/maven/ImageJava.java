package org.scratchimage.maven;

import java.util.List;

/**
 * {@code <java>}: the project as a Java application on a jlink runtime. See docs/java.md.
 *
 * @since 0.1.0
 */
public class ImageJava {
    /** The main class, such as {@code com.example.Main}. Default: the {@code Main-Class} of the project's jar. */
    String mainClass;
    /** Options of the JVM, before {@code -cp}: {@code <jvmFlag>-XX:MaxRAMPercentage=75</jvmFlag>}. */
    List<String> jvmFlags;
    /**
     * The runtime's modules, comma-separated, such as {@code java.base,java.sql}. Default: what jdeps finds in the
     * project's jar and its runtime class path, plus {@code jdk.crypto.ec} and {@code jdk.zipfs}.
     */
    String modules;
    /** The JDK that links the runtime, its home. Default: the JDK running Maven. */
    String jdk;
    /**
     * Names every jar in {@code /app/libs} {@code groupId-artifactId-version[-classifier].jar} instead of
     * {@code artifactId-version[-classifier].jar}, for two dependencies that differ only in their group id:
     * {@code true} or {@code false}.
     */
    String qualifiedJarNames;
}
