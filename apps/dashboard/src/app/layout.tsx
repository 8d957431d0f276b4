import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SessionBar } from "../components/SessionBar";
import { currentViewer } from "../lib/viewer";
import "./globals.css";

export const metadata: Metadata = {
  title: "Interlace",
  description: "Interactions of sparse-autoencoder features in language-model activations.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await currentViewer();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Interlace
          </Link>
          <span className="tagline">feature interactions beyond the SAE</span>
          <SessionBar viewer={viewer} />
        </header>
        <main className="content">{children}</main>
      </body>
    </html>
  );
}
