import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The schema workspace ships TypeScript sources; Next compiles them with the app.
  transpilePackages: ["@interlace/schema"],
  poweredByHeader: false,
  // The WebSocket client of the run events route runs in Node as it is (its optional native add-ons stay optional).
  serverExternalPackages: ["ws"],
  reactStrictMode: true,
};

export default nextConfig;
