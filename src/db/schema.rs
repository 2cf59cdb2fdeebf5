//! Diesel table definitions shared by both backends.
//!
//! Written by hand from `migrations/*/up.sql` using only SQL types that
//! PostgreSQL and SQLite both have; the schema test checks the two migration
//! folders produce the same tables and columns.

diesel::table! {
    /// Public author profiles; a wire service is an author with no user.
    authors (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        bio -> Text,
        avatar_url -> Nullable<Text>,
        website -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Accounts that log in (editors, writers, admins).
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        author_id -> Nullable<BigInt>,
        disabled -> Bool,
        sessions_valid_after -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Topics articles are filed under.
    tags (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Articles and their editorial state.
    articles (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        excerpt -> Nullable<Text>,
        body -> Text,
        body_html -> Text,
        status -> Text,
        publish_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        author_id -> BigInt,
        featured_image_url -> Nullable<Text>,
        meta_title -> Nullable<Text>,
        meta_description -> Nullable<Text>,
        canonical_url -> Nullable<Text>,
        word_count -> Integer,
        reading_time_minutes -> Integer,
        comments_open -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// First paragraph of the body as plain text (NULL: not yet derived).
        body_lead -> Nullable<Text>,
        /// The lead image from the media library.
        featured_image_id -> Nullable<BigInt>,
        /// When the article was moved to the trash (NULL: it is not).
        trashed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// SQLite only: the FTS5 index of articles (`rowid` is the article id;
    /// `rank` is bm25 with the weights of migration 000006). Queried only
    /// when the connection is SQLite.
    articles_search (rowid) {
        rowid -> BigInt,
        rank -> Double,
    }
}

diesel::table! {
    /// Which tags an article carries, in display order.
    article_tags (article_id, tag_id) {
        article_id -> BigInt,
        tag_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    /// Earlier versions of an article's title and body.
    article_revisions (id) {
        id -> BigInt,
        article_id -> BigInt,
        version -> Integer,
        title -> Text,
        body -> Text,
        editor_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        /// What made this version (`RevisionAction`).
        action -> Text,
        /// The article's content as JSON (`Snapshot`); NULL for revisions
        /// stored before snapshots (title and body only).
        snapshot -> Nullable<Text>,
    }
}

diesel::table! {
    /// Reader comments, threaded by `parent_id`.
    comments (id) {
        id -> BigInt,
        article_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        depth -> Integer,
        author_name -> Text,
        author_email -> Text,
        author_url -> Nullable<Text>,
        body -> Text,
        status -> Text,
        user_id -> Nullable<BigInt>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        visible -> Bool,
    }
}

diesel::table! {
    /// Opaque refresh tokens, stored hashed, grouped in rotation families.
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        refreshed_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (scope, key) {
        scope -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Nullable<Integer>,
        location -> Nullable<Text>,
        body -> Nullable<Text>,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    spent_form_tokens (token_hash) {
        token_hash -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    /// API keys for frontends and integrators, stored hashed.
    api_keys (id) {
        id -> BigInt,
        name -> Text,
        prefix -> Text,
        secret_hash -> Text,
        scope -> Text,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Fixed-window throttle counters shared by every instance.
    throttle_buckets (key) {
        key -> Text,
        hits -> Integer,
        window_start -> Timestamp,
    }
}

diesel::table! {
    /// One row: the counter every write that can change a public answer
    /// raises (by trigger); cached answers are valid for one generation.
    content_generation (id) {
        id -> BigInt,
        generation -> BigInt,
    }
}

diesel::table! {
    /// Uploaded images; their files live in the object store under
    /// `storage_key`.
    media (id) {
        id -> BigInt,
        content_hash -> Text,
        storage_key -> Text,
        format -> Text,
        width -> Integer,
        height -> Integer,
        byte_size -> BigInt,
        /// JSON array of the stored files (`media::model::Variant`).
        variants -> Text,
        filename -> Text,
        title -> Text,
        alt_text -> Text,
        caption -> Text,
        credit -> Text,
        /// What `q` searches, lower-cased by the application.
        search_text -> Text,
        focal_x -> Nullable<Double>,
        focal_y -> Nullable<Double>,
        uploaded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The audit log: one row per write or security event (append-only).
    audit_events (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_type -> Text,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<BigInt>,
        request_id -> Nullable<Text>,
        client_ip -> Nullable<Text>,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
    }
}

diesel::table! {
    /// Webhook endpoints (admins).
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        description -> Text,
        events -> Text,
        secret -> Text,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        failing_since -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The webhook outbox: one row per event and endpoint.
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        message_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        last_latency_ms -> Nullable<Integer>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(articles -> authors (author_id));
diesel::joinable!(articles -> media (featured_image_id));
diesel::joinable!(article_tags -> articles (article_id));
diesel::joinable!(article_tags -> tags (tag_id));
diesel::joinable!(article_revisions -> articles (article_id));
diesel::joinable!(comments -> articles (article_id));
diesel::joinable!(users -> authors (author_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

diesel::allow_tables_to_appear_in_same_query!(
    articles_search,
    authors,
    users,
    tags,
    articles,
    article_tags,
    article_revisions,
    comments,
    refresh_tokens,
    sessions,
    spent_form_tokens,
    idempotency_keys,
    api_keys,
    throttle_buckets,
    media,
    audit_events,
    webhooks,
    webhook_deliveries,
);
