// A force-directed layout of pairs (d3-force, run to rest synchronously: the same input gives the same picture).
import { forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from "d3-force";

export interface LayoutEdge {
  a: number;
  b: number;
  strength: number;
}

export interface LayoutNode extends SimulationNodeDatum {
  /** The feature's index (the simulation keeps its own `index`). */
  feature: number;
  x: number;
  y: number;
}

export interface Layout {
  nodes: LayoutNode[];
  links: { source: LayoutNode; target: LayoutNode; strength: number }[];
}

/** Nodes for the features the edges name, placed in a width × height box (margin kept free). */
export function forceLayout(edges: readonly LayoutEdge[], width: number, height: number, margin = 16): Layout {
  const byIndex = new Map<number, LayoutNode>();
  for (const e of edges) {
    for (const feature of [e.a, e.b]) if (!byIndex.has(feature)) byIndex.set(feature, { feature, x: 0, y: 0 });
  }
  const nodes = [...byIndex.values()];
  for (const node of nodes) {
    delete (node as SimulationNodeDatum).x;
    delete (node as SimulationNodeDatum).y;
  }
  const max = Math.max(1e-12, ...edges.map((e) => Math.abs(e.strength)));
  const simLinks = edges.map((e) => ({ source: e.a, target: e.b, strength: e.strength }));
  const simulation = forceSimulation(nodes)
    .force(
      "link",
      forceLink<LayoutNode, (typeof simLinks)[number]>(simLinks)
        .id((node) => node.feature)
        .distance((link) => 50 + 60 * (1 - Math.abs(link.strength) / max)),
    )
    .force("charge", forceManyBody().strength(-40))
    // Pull every component toward the middle, so small clusters do not drift to the edges.
    .force("x", forceX(0).strength(0.08))
    .force("y", forceY(0).strength(0.08))
    .stop();
  simulation.tick(300);
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (width - 2 * margin) / Math.max(1e-9, x1 - x0);
  const sy = (height - 2 * margin) / Math.max(1e-9, y1 - y0);
  for (const n of nodes) {
    n.x = nodes.length === 1 ? width / 2 : margin + (n.x - x0) * sx;
    n.y = nodes.length === 1 ? height / 2 : margin + (n.y - y0) * sy;
  }
  return {
    nodes,
    links: edges.map((e) => ({ source: byIndex.get(e.a)!, target: byIndex.get(e.b)!, strength: e.strength })),
  };
}
