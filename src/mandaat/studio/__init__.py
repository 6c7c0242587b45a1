"""`mandaat studio`: what-if in the browser, a small local web application over the pipeline.

The page shows a scenario's facts as controls, the verdict with its reasons, and a map of two numeric
facts; each change is evaluated in the pipeline's isolated engine. The layer sits above render/ and
analysis/ and below the commands; nothing below it imports it.

- :mod:`.folder`: the one folder the studio reads and writes, and nothing outside it;
- :mod:`.draft`: the page's working state, the scenario it stands for, and the variant file that says so;
- :mod:`.panel`: the verdict panel (one function, one template);
- :mod:`.grid`: the map's cells; :mod:`.marks`: the tipping points on the sliders;
- :mod:`.page`: the page and what it needs to know; :mod:`.export`: the memo for download;
- :mod:`.state`: what the application serves, and the scenario files as read now;
- :mod:`.jobs`: the evaluations, in forked children the server awaits without blocking;
- :mod:`.guard`: host and token checks; :mod:`.connections`: the cap and deadline on connections;
- :mod:`.app`: the Starlette application.
"""
