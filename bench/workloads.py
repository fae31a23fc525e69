#!/usr/bin/env python3
"""Writes the benchmark projects: W1 busybox and 400 applet links, W2 a JDK tree (gzip, zstd, and gzip with
<archive>; and gzip with the defaults, SBOM and package metadata on), W3 20,000 small files (fixed seed; and the
same with the defaults, which W7 also builds), W5 a 4 GiB tree of sparse files, W6 the JDK tree in a layer of its
own below a small application layer, W8 busybox and coreutils with their libraries for one platform and for two
(amd64 from /, arm64 from the arm64 sysroot), W9 a Java application with about 40 dependency jars (with <java>,
the same without the plugin, and Jib's), Jib's project for W2, and an empty project; for the push workloads,
W2 and W7 named for the bench's registry on loopback and Jib's project pushing W2 there.
Usage: workloads.py WORK VERSION JDK REGISTRY_PORT. Only the projects of the workloads BENCH_WORKLOADS names
(bench/run's names, space-separated) are written; without it, those of BENCH_ONLY's half (build, push, or all).
W8 reads the arm64 sysroot from SCRATCH_ARM64_SYSROOT (default /var/cache/scratch/arm64-sysroot; bench/run makes it)."""
import os
import random
import shutil
import subprocess
import sys

work, version, jdk, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
only = os.environ.get("BENCH_ONLY", "all")
chosen = set(os.environ.get("BENCH_WORKLOADS", "").split())
registry = f"127.0.0.1:{port}"


def want(*workloads):
    """Whether bench/run measures any of these workloads (its names: w1 ... w9-change, push-cold ...)."""
    if chosen:
        return any(w in chosen for w in workloads)
    return any((only != "build") if w.startswith("push-") else (only != "push") for w in workloads)


# Maven 3.8's default compiler plugin is too old for release 17.
COMPILER = """<plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId>
<version>3.13.0</version></plugin>"""

PLUGIN = """<plugin><groupId>org.scratchimage</groupId><artifactId>scratch-maven-plugin</artifactId>
<version>{version}</version><executions><execution><goals><goal>build</goal></goals></execution></executions>
<configuration>{config}</configuration></plugin>"""


def project(name, plugins="", packaging="pom"):
    os.makedirs(os.path.join(work, name), exist_ok=True)
    with open(os.path.join(work, name, "pom.xml"), "w") as pom:
        pom.write(f"""<project><modelVersion>4.0.0</modelVersion><groupId>bench</groupId><artifactId>{name}</artifactId>
<version>1</version><packaging>{packaging}</packaging>
<properties><project.build.outputTimestamp>1700000000</project.build.outputTimestamp>
<maven.compiler.release>17</maven.compiler.release></properties>
<build><plugins>{COMPILER}{plugins}</plugins></build></project>""")


# The older workloads measure what their targets were set for: the image alone. The SBOM and the package metadata
# (on by default since issue 14) add hashing and a dpkg read that the pipelines do not do; issue 18 measures them
# in the workloads built with defaults(): W2 and W3 with the defaults, W6, W7 and push-w7.
WITHOUT_SUPPLY_CHAIN = "<sbom>false</sbom><packageMetadata>false</packageMetadata>"


def scratch(config):
    return PLUGIN.format(version=version, config=WITHOUT_SUPPLY_CHAIN + config)


def defaults(config):
    return PLUGIN.format(version=version, config=config)


project("empty")

if want("w1"):
    applets = subprocess.run(["busybox", "--list"], capture_output=True, text=True, check=True).stdout.split()
    applets = [a for a in applets if a != "busybox"][:400]
    links = "".join(f"<symlink><path>/bin/{a}</path><target>busybox</target></symlink>" for a in applets)
    project("w1", scratch("<binaries><binary><source>/bin/busybox</source><path>/bin/busybox</path></binary>"
                          f"</binaries><symlinks>{links}</symlinks>"))

# W2: the JDK as plain files (links followed, dangling ones such as Debian's lib/src.zip left out, since Jib
# stops on them), the same copy for every tool. The pipelines archive it without resolving libraries: so does
# the plugin here.
w2 = os.path.join(work, "w2-tree")
if want("w2", "w2-defaults", "w4", "w2-archive", "w6", "w9", "push-cold", "push-nochange"):
    for folder, dirs, names in os.walk(jdk, followlinks=True):
        target = os.path.join(w2, os.path.relpath(folder, jdk))
        os.makedirs(target, exist_ok=True)
        for name in names:
            source = os.path.join(folder, name)
            if os.path.exists(source):
                shutil.copy2(source, os.path.join(target, name))
tree = f"<directories><directory><source>{w2}</source><path>/opt/jdk</path>" \
       "<resolveLibraries>false</resolveLibraries></directory></directories>"
if want("w2", "w4"):
    project("w2-gzip", scratch(tree))
if want("w2"):
    project("w2-zstd", scratch(tree + "<compression>zstd</compression>"))
if want("w2-defaults", "w4"):
    # W2 with the defaults, for issue 18: cold (w2-defaults), and nothing changed (a row of W4). The package
    # metadata reads the dpkg database; no package owns this copy of the JDK.
    project("w2-defaults", defaults(tree))
if want("w2-archive"):
    # W2 with <archive>: bench/run deletes the archive before each measured build, so only the archive is written.
    project("w2-archive", scratch(tree + "<archive>true</archive>"))

if want("w6"):
    # W6: the JDK in layer "runtime", a 1 MiB application file in layer "app"; bench/run rewrites the file before
    # each build, so only the app layer changes. With the defaults: the SBOM lists the runtime layer's files too,
    # and bench/run counts the files of w2-tree the build opens (issue 18: none).
    app = os.path.join(work, "w6-app.bin")
    with open(app, "wb") as f:
        f.write(random.Random(6).randbytes(1024 * 1024))
    project("w6", defaults(f"<layers><layer>runtime</layer><layer>app</layer></layers>"
                           f"<directories><directory><source>{w2}</source><path>/opt/jdk</path><layer>runtime</layer>"
                           "<resolveLibraries>false</resolveLibraries></directory></directories>"
                           f"<files><file><source>{app}</source><path>/app/app.bin</path></file></files>"))

# W3: 20,000 small files in 100 folders, half text and half random bytes; the same tree for W3 with the defaults,
# W7 (nothing changed, with the defaults) and push-w7.
files = os.path.join(work, "w3-files")
files_tree = f"<directories><directory><source>{files}</source><path>/data</path></directory></directories>"
if want("w3", "w3-defaults", "w7", "push-w7"):
    rng = random.Random(20261129)
    words = b"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau\n"
    for i in range(20_000):
        folder = os.path.join(files, f"d{i % 100:02d}")
        os.makedirs(folder, exist_ok=True)
        size = rng.randint(1024, 8192)
        body = bytearray(words[rng.randrange(len(words))] for _ in range(size)) if i % 2 else bytearray(rng.randbytes(size))
        with open(os.path.join(folder, f"f{i:05d}.txt"), "wb") as f:
            f.write(body)
if want("w3"):
    project("w3", scratch(files_tree))
if want("w3-defaults"):
    project("w3-defaults", defaults(files_tree))
if want("w7"):
    project("w7", defaults(files_tree))

if want("w5"):
    sparse = os.path.join(work, "w5-files")
    os.makedirs(sparse, exist_ok=True)
    for i in range(16):
        with open(os.path.join(sparse, f"part-{i:02d}.bin"), "wb") as f:
            f.truncate(256 * 1024 * 1024)
    project("w5", scratch(f"<directories><directory><source>{sparse}</source><path>/data</path></directory></directories>"))

if want("w8"):
    # W8: the same inputs for one platform (linux/amd64 from /) and for two (and linux/arm64 from the arm64 sysroot):
    # busybox and every coreutils program both roots hold, with their libraries, per platform; a 1 MiB project file
    # in a layer both platforms share, written once. The target: two platforms cost at most 2.1 x one.
    arm64 = os.environ.get("SCRATCH_ARM64_SYSROOT", "/var/cache/scratch/arm64-sysroot")

    def elf(path):
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"

    # The sysroot holds five packages' files, not every library coreutils links (libacl, libattr, libgmp, ...).
    arm64_libraries = set()
    for folder in ("lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu"):
        if os.path.isdir(os.path.join(arm64, folder)):
            arm64_libraries.update(os.listdir(os.path.join(arm64, folder)))

    def needed(path):
        dynamic = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
        return {line.split("[", 1)[1].split("]", 1)[0] for line in dynamic.splitlines() if "(NEEDED)" in line}

    programs = []
    for folder in ("bin", "usr/bin"):
        for name in sorted(os.listdir(os.path.join(arm64, folder))):
            source = "/" + folder + "/" + name
            ours = os.path.join(arm64, folder, name)
            if (name.replace("-", "").replace("_", "").isalnum() and os.path.isfile(ours) and not os.path.islink(ours)
                    and elf(ours) and os.path.isfile(source) and elf(source) and needed(ours) <= arm64_libraries):
                programs.append(source)
    w8 = "<binaries>" + "".join(f"<binary><source>{p}</source><path>{p}</path></binary>" for p in programs) + \
         "</binaries><files><file><source>shared.bin</source><path>/opt/app/shared.bin</path>" \
         "<layer>shared</layer></file></files>"
    for name, config in (
            ("w8-one", "<platform>linux/amd64</platform>"),
            # One platform of <platforms>, so that its absolute sources come from the sysroot as in w8-two.
            ("w8-arm64", f"<platforms><platform><name>linux/arm64</name><sysroot>{arm64}</sysroot></platform>"
                         "</platforms>"),
            ("w8-two", "<platforms><platform><name>linux/amd64</name></platform><platform><name>linux/arm64</name>"
                       f"<sysroot>{arm64}</sysroot></platform></platforms>")):
        project(name, scratch(config + w8))
        # A relative source: the same file for every platform (an absolute one resolves inside each sysroot).
        with open(os.path.join(work, name, "shared.bin"), "wb") as f:
            f.write(random.Random(7).randbytes(1024 * 1024))


# Jib 3.5.2 with an empty base (scratch) and the JDK tree as an extra directory: written as a tar for W2 and W4,
# pushed to the bench's registry for the push workloads.
def jib(name, image):
    plugin = f"""<plugin><groupId>com.google.cloud.tools</groupId><artifactId>jib-maven-plugin</artifactId>
<version>3.5.2</version>
<configuration><from><image>scratch</image></from><to><image>{image}</image></to>
<container><entrypoint>/opt/jdk/bin/java</entrypoint></container>
<extraDirectories><paths><path><from>{w2}</from><into>/opt/jdk</into></path></paths></extraDirectories>
</configuration></plugin>"""
    project(name, plugin, packaging="jar")
    # Jib wants compiled classes: one empty class, the smallest application it accepts.
    main = os.path.join(work, name, "src", "main", "java", "bench")
    os.makedirs(main, exist_ok=True)
    with open(os.path.join(main, "Main.java"), "w") as f:
        f.write("package bench;\npublic final class Main {\n    public static void main(String[] args) {}\n}\n")


if want("w2", "w4"):
    jib("jib-w2", "bench/w2")

# W9: a Java application on about 40 dependency jars from Maven Central (about 30 MB), the plugin's <java> against
# the same project without the plugin (the app-code change target) and against Jib 3.5.2 jib:buildTar on an empty
# base with the JDK copied whole, as in W2. w9-change rewrites a constant of the application's code, so that the
# compiler writes another class and the jar another entry.
W9_DEPENDENCIES = [
    ("com.google.guava", "guava", "33.7.2-jre"),
    ("com.fasterxml.jackson.core", "jackson-databind", "2.23.0"),
    ("com.fasterxml.jackson.dataformat", "jackson-dataformat-yaml", "2.23.0"),
    ("org.apache.commons", "commons-lang3", "3.22.0"),
    ("org.apache.commons", "commons-text", "1.15.0"),
    ("org.apache.commons", "commons-collections4", "4.6.0"),
    ("org.apache.commons", "commons-compress", "1.28.0"),
    ("commons-io", "commons-io", "2.20.0"),
    ("com.h2database", "h2", "2.3.232"),
    ("org.bouncycastle", "bcpkix-jdk18on", "1.87"),
    ("org.jetbrains.kotlin", "kotlin-stdlib", "2.4.21"),
    ("io.netty", "netty-codec-http", "4.2.20.Final"),
    ("org.apache.httpcomponents.client5", "httpclient5", "5.6.5"),
    ("org.slf4j", "slf4j-simple", "2.0.20"),
    ("com.google.code.gson", "gson", "2.15.0"),
    ("joda-time", "joda-time", "2.15.1"),
    ("org.apache.commons", "commons-csv", "1.14.1"),
]
W9_MAIN = """package bench;
public final class Main {
    static final String BUILD = "0";
    public static void main(String[] args) {
        System.out.println(BUILD + " " + com.google.common.base.Strings.repeat("-", 3)
                + org.apache.commons.lang3.StringUtils.capitalize("w9"));
    }
}
"""


def java_project(name, plugins):
    dependencies = "".join(f"<dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version>"
                           "</dependency>" for g, a, v in W9_DEPENDENCIES)
    os.makedirs(os.path.join(work, name, "src", "main", "java", "bench"), exist_ok=True)
    with open(os.path.join(work, name, "pom.xml"), "w") as pom:
        pom.write(f"""<project><modelVersion>4.0.0</modelVersion><groupId>bench</groupId><artifactId>{name}</artifactId>
<version>1</version><packaging>jar</packaging>
<properties><project.build.outputTimestamp>1700000000</project.build.outputTimestamp>
<maven.compiler.release>17</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
</properties><dependencies>{dependencies}</dependencies>
<build><plugins>{COMPILER}
<plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
<plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
<plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
{plugins}</plugins></build></project>""")
    with open(os.path.join(work, name, "src", "main", "java", "bench", "Main.java"), "w") as f:
        f.write(W9_MAIN)


if want("w9", "w9-change"):
    java_project("w9", scratch("<java><mainClass>bench.Main</mainClass></java>"))
    java_project("w9-plain", "")
if want("w9"):
    java_project("jib-w9", f"""<plugin><groupId>com.google.cloud.tools</groupId><artifactId>jib-maven-plugin</artifactId>
<version>3.5.2</version>
<configuration><from><image>scratch</image></from><to><image>bench/w9</image></to>
<container><mainClass>bench.Main</mainClass><environment><JAVA_HOME>/opt/jdk</JAVA_HOME>
<PATH>/opt/jdk/bin</PATH></environment></container>
<extraDirectories><paths><path><from>{w2}</from><into>/opt/jdk</into></path></paths></extraDirectories>
</configuration></plugin>""")
    with open(os.path.join(work, "w9-change"), "w") as f:
        f.write('#!/bin/sh\n# w9-change PROJECT: a new value of Main.BUILD, so that the class and the jar change.\n'
                'sed -i "s/BUILD = \\"[0-9]*\\"/BUILD = \\"$(date +%s%N)\\"/" "$1/src/main/java/bench/Main.java"\n')
    os.chmod(os.path.join(work, "w9-change"), 0o755)
if want("push-cold", "push-nochange"):
    # W2 built and pushed to the registry bench/run starts on loopback: plain HTTP, no credentials.
    project("push-w2", scratch(f"<image>{registry}/bench/scratch</image><tags><tag>1</tag></tags>" + tree))
    jib("jib-push", f"{registry}/bench/jib:1")
if want("push-w7"):
    # W7 (W3's tree with the defaults) pushed there: the SBOM goes as a referrer of the image.
    project("push-w7", defaults(f"<image>{registry}/bench/scratch-w7</image><tags><tag>1</tag></tags>" + files_tree))
