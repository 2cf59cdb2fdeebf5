DROP INDEX articles_search_idx;
