// How large an image `mnist predict` takes. Image files come from outside (see SECURITY.md at the repository
// root): a file can be endless, and a PNG or PGM header can announce any size, which pngjs and the PGM decoder
// would allocate at once. A digit needs 28×28 pixels; phone photos and scans fit well below both caps.

/** The largest image file read, in bytes (checked on the open file before reading it). */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

/** The most pixels an image may have (about 7,000×7,000), checked from its header before decoding. */
export const MAX_IMAGE_PIXELS = 50_000_000;

/**
 * The most bytes of raw pixel data a PNG may announce (width × height × its bytes per pixel, from the IHDR's bit depth
 * and colour type), checked before decoding: pngjs inflates all of it and then expands it to 8-bit RGBA, so a small
 * file announcing 7,000×7,000 16-bit RGBA pixels (392 MB) would cost seconds and gigabytes. A 12-megapixel photo
 * (36 MB as 8-bit RGB) fits.
 */
export const MAX_PNG_PIXEL_BYTES = 100_000_000;
