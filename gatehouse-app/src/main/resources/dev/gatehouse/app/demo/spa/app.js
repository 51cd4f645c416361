// The demo SPA: plain JavaScript, no framework. Everything goes through the gateway on this origin.
'use strict';

const $ = (id) => document.getElementById(id);

function show(id) {
  for (const s of ['loading', 'signed-out', 'signed-in', 'error']) {
    $(s).hidden = s !== id;
  }
}

async function loadSession() {
  const res = await fetch('/api/auth/session', { credentials: 'same-origin' });
  if (res.status === 401) {
    show('signed-out');
    return;
  }
  if (!res.ok) {
    $('error-text').textContent = 'GET /api/auth/session answered ' + res.status;
    show('error');
    return;
  }
  const session = await res.json();
  const user = session.user;
  const org = session.organization;
  $('user-name').textContent = user.name || '-';
  $('user-email').textContent = user.email || '-';
  $('user-id').textContent = user.id;
  $('org-slug').textContent = org ? org.slug + ' (' + (org.name || org.id) + ')' : 'none';
  $('org-role').textContent = org ? org.role : '-';
  $('org-permissions').textContent = org && org.permissions.length ? org.permissions.slice().sort().join(', ') : '-';
  const select = $('org-select');
  select.replaceChildren();
  for (const o of session.organizations) {
    const option = document.createElement('option');
    option.value = o.id;
    option.textContent = (o.name || o.slug) + ' (' + o.role + ')';
    option.dataset.slug = o.slug;
    option.selected = org !== null && o.id === org.id;
    select.append(option);
  }
  $('switch-form').hidden = session.organizations.length === 0;
  show('signed-in');
}

async function switchOrganization(event) {
  event.preventDefault();
  const id = $('org-select').value;
  const res = await fetch('/api/auth/session/organization', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRF': '1', 'Content-Type': 'application/json' },
    body: JSON.stringify({ organizationId: id }),
  });
  $('switch-status').textContent = res.ok ? 'switched' : 'refused (' + res.status + ')';
  for (const api of ['projects', 'billing']) {
    $(api + '-status').textContent = '-';
    $(api + '-body').textContent = '';
  }
  await loadSession();
}

async function callApi(name) {
  $(name + '-status').textContent = '...';
  const res = await fetch('/api/' + name + '/', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const text = await res.text();
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch (e) {
    // not JSON: show it as it came
  }
  $(name + '-status').textContent = String(res.status);
  $(name + '-body').textContent = shown;
}

async function signOut() {
  const res = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF': '1' } });
  const answer = res.ok ? await res.json() : {};
  // the provider's end-session page ends its own sign-in too, then returns here
  window.location.assign(answer.logoutUrl || '/');
}

document.addEventListener('DOMContentLoaded', () => {
  $('switch-form').addEventListener('submit', switchOrganization);
  $('call-projects').addEventListener('click', () => callApi('projects'));
  $('call-billing').addEventListener('click', () => callApi('billing'));
  $('sign-out').addEventListener('click', signOut);
  loadSession().catch((e) => {
    $('error-text').textContent = String(e);
    show('error');
  });
});
