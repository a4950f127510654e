package dev.bouncedoctor.console;

import dev.bouncedoctor.maillog.PageView;
import io.quarkus.qute.TemplateData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Links to the previous and next page of a list, keeping its filters. */
@TemplateData
public record Paging(int page, long total, int size, String previous, String next) {

    static Paging of(String path, Map<String, String> filters, PageView<?> view) {
        long pages = (view.total() + view.size() - 1) / view.size();
        String previous = view.page() > 0 ? link(path, filters, view.page() - 1) : null;
        String next = view.page() + 1 < pages ? link(path, filters, view.page() + 1) : null;
        return new Paging(view.page(), view.total(), view.size(), previous, next);
    }

    static String link(String path, Map<String, String> filters, int page) {
        Map<String, String> query = new LinkedHashMap<>();
        filters.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                query.put(k, v);
            }
        });
        query.put("page", String.valueOf(page));
        return path + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public long first() {
        return total == 0 ? 0 : (long) page * size + 1;
    }

    public long last() {
        return Math.min(total, (long) (page + 1) * size);
    }
}
