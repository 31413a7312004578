import { useEffect, useState } from 'react';
import { DigitImage } from './DigitImage';
import { formatCount, formatPercent } from '../format';

/** One test image with its prediction. */
export interface GridItem {
  /** Index in the test set. */
  index: number;
  pixels: Uint8Array;
  label: number;
  predicted: number;
  confidence: number;
}

/** Props of {@link TestImageGrid}. */
export interface TestImageGridProps {
  /** Heading, e.g. "All 10,000 test images" or "True 4, predicted 9". */
  title: string;
  /** Test-set indices to show, in order. */
  indices: readonly number[];
  /** Looks an index up (pixels, label, prediction). */
  item: (index: number) => GridItem;
  classNames: readonly string[];
  pageSize?: number;
}

/** Page `page` (0-based) of `total` items: the half-open index range it covers. */
export function pageRange(
  page: number,
  pageSize: number,
  total: number,
): { start: number; end: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { start: p * pageSize, end: Math.min(total, (p + 1) * pageSize), pages };
}

/** Paged thumbnails of test images with their predicted and true labels; mistakes are marked. */
export function TestImageGrid({ title, indices, item, classNames, pageSize = 40 }: TestImageGridProps) {
  const [page, setPage] = useState(0);
  // A new selection starts on its first page.
  useEffect(() => setPage(0), [indices]);
  const { start, end, pages } = pageRange(page, pageSize, indices.length);
  const current = Math.min(page, pages - 1);
  return (
    <section className="grid-section" aria-label={title} data-testid="image-grid">
      <h3>
        {title} <span className="count">({formatCount(indices.length)})</span>
      </h3>
      {indices.length === 0 ? (
        <p className="muted">No images here.</p>
      ) : (
        <>
          <ul className="thumbs">
            {indices.slice(start, end).map((index) => {
              const it = item(index);
              const wrong = it.predicted !== it.label;
              const name = (l: number) => classNames[l] ?? String(l);
              return (
                <li key={index} className={wrong ? 'thumb wrong' : 'thumb'} data-index={index}>
                  <DigitImage
                    pixels={it.pixels}
                    scale={255}
                    label={`Test image ${index}: true ${name(it.label)}, predicted ${name(it.predicted)}`}
                  />
                  <span className="thumb-caption" aria-hidden="true">
                    <strong>{name(it.predicted)}</strong>
                    {wrong && <span className="true-label"> (true {name(it.label)})</span>}
                    <br />
                    <span className="muted">
                      #{index} · {formatPercent(it.confidence)}
                    </span>
                  </span>
                </li>
              );
            })}
          </ul>
          {pages > 1 && (
            <nav className="pager" aria-label={`${title}: pages`}>
              <button type="button" onClick={() => setPage(current - 1)} disabled={current === 0}>
                Previous
              </button>
              <span>
                Page {current + 1} of {pages}
              </span>
              <button type="button" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
