package io.rapidfire.admin;

/**
 * One page of a list in deadline order, for every front end: {@code limit} rows (1 to {@value #MAX_LIMIT}) from
 * page {@code page} (from 0), never reaching past the first {@value #MAX_WINDOW} rows, since each page is read from
 * the head of the store's index.
 */
public record Paging(int page, int limit) {
    public static final int MAX_LIMIT = 1_000;
    public static final int MAX_WINDOW = 10_000;

    /** IllegalArgumentException naming the limit when out of range. */
    public Paging {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (page < 0 || page > MAX_WINDOW) {
            throw new IllegalArgumentException("page must be a whole number from 0 to " + MAX_WINDOW);
        }
        if ((long) (page + 1) * limit > MAX_WINDOW) {
            throw new IllegalArgumentException("page * limit must stay within the first " + MAX_WINDOW + " rows");
        }
    }

    public static Paging first(int limit) {
        return new Paging(0, limit);
    }

    int reach() {
        return (page + 1) * limit;
    }

    long skip() {
        return (long) page * limit;
    }
}
