import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The schema workspace ships TypeScript sources; Next compiles them with the app.
  transpilePackages: ["@interlace/schema"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
