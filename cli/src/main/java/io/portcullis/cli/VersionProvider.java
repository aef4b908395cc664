package io.portcullis.cli;

import picocli.CommandLine;

/** The version from the jar manifest (set by the build), or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[]{"portcullis " + (v == null ? "dev" : v)};
    }
}
