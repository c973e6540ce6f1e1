/**
 * Builds small synthetic Bruker `.spx` texts for the tests, including the base64 `RTREM`
 * block of micro-XRF exports (layout documented in docs/formats.md).
 */

/** Encodes an `RTREM` block: name, version 1 at byte 37, size at 41, X/Y/Z float64 at 121. */
export function rtremBase64(
  xyz: [number, number, number],
  { size = 161, version = 1, name = 'RTREM' } = {},
): string {
  const bytes = new Uint8Array(size);
  bytes[0] = name.length;
  for (let i = 0; i < name.length; i++) bytes[1 + i] = name.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  view.setUint32(37, version, true);
  view.setUint32(41, size, true);
  if (size >= 145) xyz.forEach((v, i) => view.setFloat64(121 + 8 * i, v, true));
  return Buffer.from(bytes).toString('base64');
}

/** Options of {@link syntheticSpx}. */
export interface SyntheticSpx {
  counts?: number[];
  lifeTimeMs?: number;
  calibAbs?: number;
  calibLin?: number;
  /** RTREM stage X/Y/Z (mm). */
  rtrem?: [number, number, number];
  /** Raw base64 `<Data>` of the RTREM block (overrides `rtrem`). */
  rtremData?: string;
  /** `<Size>` of the RTREM block. */
  rtremSize?: number;
  /** TRTSEMStageData X/Y/Z. */
  semStage?: [number, number, number];
}

/** A one-spectrum Esprit `.spx` text. */
export function syntheticSpx(o: SyntheticSpx = {}): string {
  const counts = o.counts ?? [0, 5, 10, 5];
  const data = o.rtremData ?? (o.rtrem ? rtremBase64(o.rtrem, { size: o.rtremSize ?? 161 }) : '');
  const rtrem =
    o.rtrem || o.rtremData
      ? `      <ClassInstance Type="TRTUnknownHeader" Name="RTREM">
        <Compression>-1</Compression>
        <Data Encoder="base64">${data}</Data>
        <Size>${o.rtremSize ?? 161}</Size>
      </ClassInstance>\n`
      : '';
  const sem = o.semStage
    ? `      <ClassInstance Type="TRTSEMStageData"><X>${o.semStage[0]}</X><Y>${o.semStage[1]}</Y><Z>${o.semStage[2]}</Z></ClassInstance>\n`
    : '';
  return `<?xml version="1.0" encoding="WINDOWS-1252" standalone="yes"?>
<TRTSpectrum>
  <RTHeader/>
  <ClassInstance Type="TRTSpectrum" Name="SPU1">
    <TRTHeaderedClass>
      <ClassInstance Type="TRTSpectrumHardwareHeader">
        <RealTime>10200</RealTime>
        <LifeTime>${o.lifeTimeMs ?? 10000}</LifeTime>
      </ClassInstance>
${rtrem}${sem}    </TRTHeaderedClass>
    <ClassInstance Type="TRTSpectrumHeader">
      <ChannelCount>${counts.length}</ChannelCount>
      <CalibAbs>${o.calibAbs ?? -0.9631}</CalibAbs>
      <CalibLin>${o.calibLin ?? 0.01}</CalibLin>
    </ClassInstance>
    <Channels>${counts.join(',')}</Channels>
  </ClassInstance>
</TRTSpectrum>
`;
}
