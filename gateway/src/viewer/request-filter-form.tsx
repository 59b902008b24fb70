/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { RequestFacets } from '../stores/list-request-facets.ts';
import type { ListQuery } from './read-list-query.ts';

const cacheOutcomes = ['hit', 'miss', 'coalesced', 'replayed'];

/** The request list's filters as a plain GET form, so filtered views are links that can be shared. */
export function RequestFilterForm(props: { query: ListQuery; facets: RequestFacets }) {
  const { values } = props.query;
  return (
    <form class="filters panel" method="get" action="/ui" id="filters">
      <Choice name="run" label="Run" options={props.facets.runs} value={values.run} />
      <Choice
        name="provider"
        label="Provider"
        options={props.facets.providers}
        value={values.provider}
      />
      <Choice name="model" label="Model" options={props.facets.models} value={values.model} />
      <Choice
        name="template"
        label="Template"
        options={props.facets.templates}
        value={values.template}
      />
      <Choice name="cache" label="Cache" options={cacheOutcomes} value={values.cache} />
      <Choice name="status" label="Status" options={['ok', 'error']} value={values.status} />
      <label>
        Since (UTC)
        <input type="datetime-local" step="1" name="since" value={values.since ?? ''} />
      </label>
      <label>
        Until (UTC)
        <input type="datetime-local" step="1" name="until" value={values.until ?? ''} />
      </label>
      <label>
        Per page
        <select name="limit">
          {[25, 50, 100, 200].map((limit) => (
            <option value={String(limit)} selected={limit === props.query.limit}>
              {String(limit)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Filter</button>
      <a href="/ui">Clear</a>
    </form>
  );
}

function Choice(props: {
  name: string;
  label: string;
  options: string[];
  value: string | undefined;
}) {
  // A value typed into the URL that the log has not seen still shows, so the form never lies.
  const options =
    props.value === undefined || props.options.includes(props.value)
      ? props.options
      : [props.value, ...props.options];
  return (
    <label>
      {props.label}
      <select name={props.name} id={`filter-${props.name}`}>
        <option value="">any</option>
        {options.map((option) => (
          <option value={option} selected={option === props.value}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}
