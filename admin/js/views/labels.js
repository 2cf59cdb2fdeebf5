// Words shown for the API's values.

export const STATUS_LABELS = {
  draft: 'Drafts',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  archived: 'Archived',
  trashed: 'Trash',
};

export const STATUS_NAMES = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  archived: 'Archived',
  trashed: 'In the trash',
};

/** How a media item is named (the library, the featured-image picker). */
export const mediaLabel = (m) => m.title || m.filename || `Image ${m.id}`;
