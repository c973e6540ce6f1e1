/**
 * Visual reports of a quantification: Vega-Lite chart specs (heat map of the measured spectra vs
 * scan position, line-intensity depth curves, log-scale element chart), their SVG rendering
 * without a browser, and `renderReport`, a self-contained HTML page. Needs the `vega` and
 * `vega-lite` packages, imported only when something is rendered.
 *
 * @module
 */
export { lineDepthCurve, lineDepthCurves, reportLineFor } from './lines';
export type {
  LineDepthCurve,
  LineDepthCurveOptions,
  LineDepthCurvesOptions,
  ReportLine,
} from './lines';
export { depthHeatmapSpec, elementChartSpec, lineCurvesSpec, reportElementRows } from './specs';
export type {
  DepthHeatmapOptions,
  ElementChartSpecOptions,
  FittedLineCurve,
  LineCurvesSpecOptions,
  MassFractionInterval,
  ReportElementRow,
  ReportElementRowsOptions,
  ReportTruth,
  VegaLiteSpec,
} from './specs';
export { formatMassFraction, renderReport, renderSpecToSvg, reportDocument } from './render';
export type { RenderReportOptions, RenderSpecOptions, VegaModules } from './render';
