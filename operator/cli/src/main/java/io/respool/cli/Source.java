package io.respool.cli;

/** Where an object came from: a file and the 1-based number of the YAML document in it. */
record Source(String file, int document) {

    @Override
    public String toString() {
        return file + ", document " + document;
    }
}
