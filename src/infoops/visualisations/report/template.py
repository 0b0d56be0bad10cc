"""The report page's Jinja template: the common page head (``base.html.j2``, with its
Content-Security-Policy) and one grid row per figure, one column per disclosure.

Kept as a string in a module so that it ships with the code, whatever the package data says.
"""

REPORT_CSS = """
.report { padding: 8px 16px 24px; }
.report h2 { font-size: 16px; margin: 22px 0 4px; border-bottom: 1px solid var(--line); }
.report .about { color: var(--muted); margin: 2px 0 8px; max-width: 980px; }
.report-row { display: grid; gap: 16px; align-items: start; }
.cell { min-width: 0; }
.cell h3 { font-size: 13px; margin: 4px 0; color: var(--muted); overflow-wrap: anywhere; }
.plot svg { display: block; width: 100%; height: auto; max-width: 760px; }
.empty { color: var(--muted); font-style: italic; margin: 8px 0; }
.rule { color: var(--muted); font-size: 12.5px; margin: 4px 0; overflow-wrap: anywhere; }
.bursts { font-size: 12.5px; margin: 2px 0 6px; overflow-wrap: anywhere; }
.report table { border-collapse: collapse; font-size: 12.5px; margin: 4px 0; }
.report th, .report td { border: 1px solid var(--line); padding: 2px 6px; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; max-width: 420px; }
.report th { background: #f6f8fa; }
.report td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.report details { margin: 4px 0 0; }
.report summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
"""

REPORT_TEMPLATE = """{% extends "base.html.j2" %}
{% block head %}<style>{{ report_css }}</style>{% endblock %}
{% block body %}
<main class="report">
  <section id="headline">
    <h2>Headline figures</h2>
    <p class="about">{{ headline_note }}</p>
    <table class="headline">
      <thead><tr><th scope="col">figure</th>
        {% for name in column_names %}<th scope="col">{{ name }}</th>{% endfor %}</tr></thead>
      <tbody>
      {% for row in headline %}<tr><th scope="row">{{ row.label }}</th>
        {% for value in row.values %}<td class="num">{{ value }}</td>{% endfor %}</tr>
      {% endfor %}</tbody>
    </table>
  </section>
  {% for section in sections %}
  <section id="{{ section.key }}">
    <h2>{{ section.title }}</h2>
    {% if section.about %}<p class="about">{{ section.about }}</p>{% endif %}
    <div class="report-row" style="grid-template-columns: repeat({{ columns }}, minmax(0, 1fr))">
    {% for cell in section.cells %}
      <div class="cell">
        {% if columns > 1 %}<h3>{{ cell.column }}</h3>{% endif %}
        {% for line in cell.notes %}<p class="rule">{{ line }}</p>{% endfor %}
        {% if cell.bursts is not none %}<p class="bursts">bursts: {{ cell.bursts }}</p>{% endif %}
        {% if cell.svg %}<figure class="plot" data-plot="{{ section.key }}">{{ cell.svg }}</figure>
        {% else %}<p class="empty">{{ cell.empty }}</p>{% endif %}
        {% if cell.table %}
        <details><summary>{{ cell.table.caption }}</summary>
          <table><thead><tr>{% for column in cell.table.columns %}
            <th scope="col">{{ column }}</th>{% endfor %}</tr></thead>
          <tbody>{% for row in cell.table.rows %}<tr>{% for value in row %}
            <td>{{ value }}</td>{% endfor %}</tr>
          {% endfor %}</tbody></table>
        </details>
        {% endif %}
      </div>
    {% endfor %}
    </div>
  </section>
  {% endfor %}
</main>
{% endblock %}
"""
