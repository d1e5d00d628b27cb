// @vitest-environment jsdom
// A project name is whatever its containers' label holds: its page's route, through wouter's own
// hash routing, must give back exactly that name ("%", "/", "+", spaces, a literal "%41").
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Link, Route, Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { composeProjectParam, routes } from '../../routes.ts';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

function Shell({ project }: { project: string }) {
  return (
    <Router hook={useHashLocation}>
      <Link href={routes.composeProject(project)}>open</Link>
      <Route path="/compose/:project">{(params) => <h1>{composeProjectParam(params.project)}</h1>}</Route>
    </Router>
  );
}

describe('routes.composeProject', () => {
  it.each(['web', 'My.App+1', '100%', 'a/b', 'two words', 'x%41y', '%2F'])('round-trips %s through the router', async (project) => {
    render(<Shell project={project} />);
    await act(async () => { screen.getByRole('link', { name: 'open' }).click(); });
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe(project);
  });
});
