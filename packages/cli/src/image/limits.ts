// How large an image `mnist predict` takes. Image files come from outside (see SECURITY.md at the repository
// root): a file can be endless, and a PNG or PGM header can announce any size, which pngjs and the PGM decoder
// would allocate at once. A digit needs 28×28 pixels; phone photos and scans fit well below both caps.

/** The largest image file read, in bytes (checked on the open file before reading it). */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

/** The most pixels an image may have (about 7,000×7,000), checked from its header before decoding. */
export const MAX_IMAGE_PIXELS = 50_000_000;
