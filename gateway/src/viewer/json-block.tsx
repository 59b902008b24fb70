/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */

/** A value as indented JSON in a `<pre>`; JSX escapes it, since bodies are untrusted upstream output. */
export function JsonBlock(props: { value: unknown; class?: string }) {
  if (props.value === undefined) return <p class="muted">none recorded</p>;
  const text = typeof props.value === 'string' ? props.value : JSON.stringify(props.value, null, 2);
  return <pre class={props.class ?? 'json'}>{text}</pre>;
}
