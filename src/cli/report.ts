/**
 * `cmxrf quantify --report <file.html>`: one HTML page with a report per quantified file.
 *
 * @module
 */
import type { QuantificationResult } from '../model/result';
import type { DepthProfile } from '../profile';
import { renderReport, reportDocument } from '../report/render';

/** A quantified file. */
export interface ReportItem {
  /** The file name as given on the command line. */
  file: string;
  /** Its parsed profile. */
  profile: DepthProfile;
  /** Its result. */
  result: QuantificationResult;
}

/** Renders the HTML report of `items` (one section each) and writes it to `path`. */
export async function writeQuantifyReport(
  path: string,
  items: readonly ReportItem[],
): Promise<void> {
  const fragments = await Promise.all(
    items.map(({ file, profile, result }) =>
      renderReport(result, profile, { fragment: true, title: `cmxrf report: ${file}` }),
    ),
  );
  const html = reportDocument(
    items.length === 1 ? `cmxrf report: ${items[0].file}` : 'cmxrf reports',
    fragments,
  );
  const { writeOutputFile } = await import('./output-file');
  await writeOutputFile(path, html, 'the report');
}
