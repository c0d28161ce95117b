package io.respool.cli;

/**
 * Where an object came from: a file, the 1-based number of the YAML document in it and, for an
 * object inside a list (what {@code kubectl get -o yaml} prints), its 0-based index in
 * {@code items} (-1 for a document of its own).
 */
record Source(String file, int document, int item) {

    Source(String file, int document) {
        this(file, document, -1);
    }

    /** The object at {@code items[index]} of the list read from here. */
    Source item(int index) {
        return new Source(file, document, index);
    }

    @Override
    public String toString() {
        return file + ", document " + document + (item < 0 ? "" : ", items[" + item + "]");
    }
}
