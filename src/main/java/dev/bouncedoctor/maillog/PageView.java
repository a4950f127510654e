package dev.bouncedoctor.maillog;

import java.util.List;

/** One page of a list: its items, the page (from 0), its size and how many there are in all. */
public record PageView<T>(List<T> items, int page, int size, long total) {
}
