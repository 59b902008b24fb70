/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { viewerStyles } from './viewer-styles.ts';

/** The page frame: head, stylesheet and the navigation bar. */
export function ViewerLayout(props: {
  title: string;
  section: 'requests' | 'runs';
  children?: Child;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {/* An empty icon, so browsers do not ask the gateway for /favicon.ico and log a 404. */}
        <link rel="icon" href="data:," />
        <title>{`${props.title} · teacher-gateway`}</title>
        {/* The stylesheet is a constant of this module, never log content, so it may go in raw. */}
        <style dangerouslySetInnerHTML={{ __html: viewerStyles }} />
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/ui">
            teacher-gateway audit
          </a>
          <nav>
            <a href="/ui" class={props.section === 'requests' ? 'active' : undefined}>
              Requests
            </a>
            <a href="/ui/runs" class={props.section === 'runs' ? 'active' : undefined}>
              Runs
            </a>
          </nav>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
