/** One row of the per-class report. */
export interface ReportRow {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Props of {@link ClassReport}. */
export interface ClassReportProps {
  /** One row per class. */
  rows: readonly ReportRow[];
  /** Summary rows such as "macro avg" and "weighted avg". */
  averages: readonly ReportRow[];
  accuracy: number;
  total: number;
}

const fmt = (v: number) => v.toFixed(3);

/** Per-class precision, recall, F1 and support as a table laid out like scikit-learn's classification report. */
export function ClassReport({ rows, averages, accuracy, total }: ClassReportProps) {
  return (
    // Scrolls sideways on its own on a narrow phone instead of widening the page.
    <div className="table-scroll">
      <table className="report" data-testid="class-report">
        <caption>Per-class report</caption>
        <thead>
          <tr>
            <th scope="col">class</th>
            <th scope="col">precision</th>
            <th scope="col">recall</th>
            <th scope="col">F1</th>
            <th scope="col">support</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              <td>{fmt(r.precision)}</td>
              <td>{fmt(r.recall)}</td>
              <td>{fmt(r.f1)}</td>
              <td>{r.support}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">accuracy</th>
            <td />
            <td />
            <td>{fmt(accuracy)}</td>
            <td>{total}</td>
          </tr>
          {averages.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              <td>{fmt(r.precision)}</td>
              <td>{fmt(r.recall)}</td>
              <td>{fmt(r.f1)}</td>
              <td>{r.support}</td>
            </tr>
          ))}
        </tfoot>
      </table>
    </div>
  );
}
