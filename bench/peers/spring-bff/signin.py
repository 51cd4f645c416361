#!/usr/bin/env python3
"""Signs in through a real OIDC authorization-code flow, like a browser, and prints the session cookie.

    signin.py START_URL COOKIE_NAME

Follows redirects one by one from START_URL (the app's login endpoint) through the provider's authorize endpoint
and back to the app's callback, carrying cookies per host:port by hand. Cookie attributes are ignored on purpose:
Python's cookie jar withholds `Secure` cookies over http, while browsers send them to 127.0.0.1. When the provider
answers with its HTML sign-in form (mock-oauth2-server with interactiveLogin), the form is submitted with a
username. Prints `COOKIE_NAME=VALUE` and exits 0, or explains on stderr and exits 1.
"""
import html
import http.client
import re
import sys
import urllib.parse

MAX_STEPS = 20


def request(method, url, jars, body=None):
    parts = urllib.parse.urlsplit(url)
    origin = parts.netloc
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"Accept": "text/html,application/xhtml+xml", "User-Agent": "gatehouse-bench-signin"}
    jar = jars.setdefault(origin, {})
    if jar:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    for header in response.msg.get_all("Set-Cookie") or []:
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        expired = re.search(r"max-age=0\b", attributes, re.I) or re.search(r"expires=[^;]*19[0-9]{2}", attributes, re.I)
        if expired or value == "":
            jar.pop(name, None)
        else:
            jar[name] = value
    conn.close()
    return response.status, response.getheader("Location"), content.decode("utf-8", "replace")


def login_form(url, page):
    """The provider's sign-in form as (action URL, fields), or None when the page has none."""
    form = re.search(r"<form[^>]*>(.*?)</form>", page, re.S | re.I)
    if not form or not re.search(r'name="username"', form.group(1)):
        return None
    action = re.search(r'action="([^"]*)"', form.group(0))
    target = urllib.parse.urljoin(url, html.unescape(action.group(1))) if action and action.group(1) else url
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(1), re.I):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    fields["username"] = "bench-user"
    return target, fields


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    url, cookie = sys.argv[1], sys.argv[2]
    app = urllib.parse.urlsplit(url).netloc
    jars = {}
    method, body = "GET", None
    for _ in range(MAX_STEPS):
        try:
            status, location, page = request(method, url, jars, body)
        except OSError as e:
            print(f"sign-in failed: cannot reach {url}: {e}", file=sys.stderr)
            return 1
        method, body = "GET", None
        if 300 <= status < 400 and location:
            url = urllib.parse.urljoin(url, location)
            continue
        form = login_form(url, page) if status == 200 else None
        if form:
            url, fields = form
            method, body = "POST", urllib.parse.urlencode(fields)
            continue
        if status >= 500:
            print(f"sign-in failed: {status} at {url}", file=sys.stderr)
            return 1
        break
    else:
        print(f"sign-in failed: more than {MAX_STEPS} redirects", file=sys.stderr)
        return 1
    value = jars.get(app, {}).get(cookie)
    if value is None:
        print(f"sign-in failed: no {cookie} cookie from {app} (ended with {status} at {url})", file=sys.stderr)
        return 1
    print(f"{cookie}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
