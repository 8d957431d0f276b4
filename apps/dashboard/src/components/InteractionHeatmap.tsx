"use client";
import { HeatmapRect } from "@visx/heatmap";
import { Zoom } from "@visx/zoom";
import { pairHref } from "../lib/pair-route";
import { strengthColour } from "../lib/strength-colour";

const CELL = 14;
const LABEL = 44;

/** The signed strengths among the map's features; each off-diagonal cell links to its pair page. Zoom: wheel, drag. */
export function InteractionHeatmap({
  studyId,
  features,
  strengths,
}: {
  studyId: string;
  features: readonly number[];
  strengths: readonly (readonly number[])[];
}) {
  const n = features.length;
  const size = LABEL + n * CELL;
  const max = Math.max(1e-12, ...strengths.flat().map((s) => Math.abs(s)));
  const columns = strengths.map((row, i) => ({ i, bins: row.map((s, j) => ({ j, s })) }));
  return (
    <Zoom<SVGSVGElement> width={size} height={size} scaleXMin={1} scaleXMax={8} scaleYMin={1} scaleYMax={8}>
      {(zoom) => (
        <div className="zoomable">
          <div className="zoom-controls">
            <button type="button" className="button-secondary" onClick={() => zoom.scale({ scaleX: 1.5, scaleY: 1.5 })}>
              Zoom in
            </button>
            <button
              type="button"
              className="button-secondary"
              onClick={() => zoom.scale({ scaleX: 1 / 1.5, scaleY: 1 / 1.5 })}
            >
              Zoom out
            </button>
            <button type="button" className="button-secondary" onClick={zoom.reset}>
              Reset
            </button>
          </div>
          <svg
            viewBox={`0 0 ${size} ${size}`}
            className="heatmap"
            role="img"
            aria-label={`Signed interaction strengths among ${n} features`}
            ref={zoom.containerRef}
            style={{ touchAction: "none", cursor: zoom.isDragging ? "grabbing" : "grab" }}
            onMouseDown={zoom.dragStart}
            onMouseMove={zoom.dragMove}
            onMouseUp={zoom.dragEnd}
            onMouseLeave={zoom.dragEnd}
            data-testid="heatmap"
          >
            <g transform={zoom.toString()}>
              {features.map((f, i) => (
                <text
                  key={`r${f}`}
                  x={LABEL - 4}
                  y={LABEL + i * CELL + CELL * 0.75}
                  textAnchor="end"
                  className="axis-label"
                >
                  {f}
                </text>
              ))}
              {features.map((f, j) => (
                <text
                  key={`c${f}`}
                  transform={`translate(${LABEL + j * CELL + CELL * 0.75}, ${LABEL - 4}) rotate(-90)`}
                  className="axis-label"
                >
                  {f}
                </text>
              ))}
              <HeatmapRect
                data={columns}
                bins={(column) => column.bins}
                count={(bin) => bin.s}
                xScale={(i) => LABEL + i * CELL}
                yScale={(j) => LABEL + j * CELL}
                binWidth={CELL}
                binHeight={CELL}
                gap={1}
              >
                {(cells) =>
                  cells.flat().map((cell) => {
                    const a = features[cell.column]!;
                    const b = features[cell.row]!;
                    const key = `${cell.column}-${cell.row}`;
                    const rect = (
                      <rect
                        key={key}
                        x={cell.x}
                        y={cell.y}
                        width={cell.width}
                        height={cell.height}
                        fill={cell.column === cell.row ? "#e5e7eb" : strengthColour(cell.bin.s, max)}
                      >
                        <title>{cell.column === cell.row ? `#${a}` : `#${a} × #${b}: ${cell.bin.s.toFixed(4)}`}</title>
                      </rect>
                    );
                    return cell.column === cell.row ? (
                      <g key={key}>{rect}</g>
                    ) : (
                      <a key={key} href={pairHref(studyId, a, b)} data-testid="heatmap-cell">
                        {rect}
                      </a>
                    );
                  })
                }
              </HeatmapRect>
            </g>
          </svg>
        </div>
      )}
    </Zoom>
  );
}
