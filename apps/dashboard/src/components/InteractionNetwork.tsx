"use client";
import { Graph } from "@visx/network";
import { Zoom } from "@visx/zoom";
import { useMemo } from "react";
import { forceLayout, type LayoutEdge } from "../lib/force-layout";
import { pairHref } from "../lib/pair-route";
import { strengthColour } from "../lib/strength-colour";

const WIDTH = 640;
const HEIGHT = 420;

/** The strongest pairs as a force-directed network: edges link to pair pages, nodes to feature pages. */
export function InteractionNetwork({ studyId, edges }: { studyId: string; edges: readonly LayoutEdge[] }) {
  const layout = useMemo(() => forceLayout(edges, WIDTH, HEIGHT), [edges]);
  const max = Math.max(1e-12, ...edges.map((e) => Math.abs(e.strength)));
  if (edges.length === 0) return <p className="muted">No pairs to draw.</p>;
  const studyHref = `/studies/${encodeURIComponent(studyId)}`;
  return (
    <Zoom<SVGSVGElement> width={WIDTH} height={HEIGHT} scaleXMin={0.5} scaleXMax={6} scaleYMin={0.5} scaleYMax={6}>
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
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            className="network"
            role="img"
            aria-label={`The ${edges.length} strongest pairs as a network`}
            ref={zoom.containerRef}
            style={{ touchAction: "none", cursor: zoom.isDragging ? "grabbing" : "grab" }}
            onMouseDown={zoom.dragStart}
            onMouseMove={zoom.dragMove}
            onMouseUp={zoom.dragEnd}
            onMouseLeave={zoom.dragEnd}
            data-testid="network"
          >
            <g transform={zoom.toString()}>
              <Graph
                graph={layout}
                linkComponent={({ link }) => (
                  <a href={pairHref(studyId, link.source.feature, link.target.feature)} data-testid="network-edge">
                    <line
                      x1={link.source.x}
                      y1={link.source.y}
                      x2={link.target.x}
                      y2={link.target.y}
                      stroke={strengthColour(link.strength, max)}
                      strokeWidth={1 + 4 * (Math.abs(link.strength) / max)}
                      strokeLinecap="round"
                    >
                      <title>{`#${link.source.feature} × #${link.target.feature}: ${link.strength.toFixed(4)}`}</title>
                    </line>
                  </a>
                )}
                nodeComponent={({ node }) => (
                  <a href={`${studyHref}/features/${node.feature}`} data-testid="network-node">
                    <circle r={9} fill="#ffffff" stroke="#374151" strokeWidth={1.5} />
                    <text textAnchor="middle" dy="0.35em" className="node-label">
                      {node.feature}
                    </text>
                  </a>
                )}
              />
            </g>
          </svg>
        </div>
      )}
    </Zoom>
  );
}
