import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../domain/search-attributes';
import { VISIBILITY_RPS } from '../../scripts/dev-server';

describe('search attribute registrations', () => {
  it('the docker-compose stack registers exactly what the dev server registers', () => {
    const compose = readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8');
    const listed = /CPO_SEARCH_ATTRIBUTES: "([^"]+)"/.exec(compose)?.[1]?.split(' ');
    expect(listed).toEqual([...SEARCH_ATTRIBUTE_REGISTRATIONS]);
  });

  it('stays inside the SQL visibility store slots (3 Datetime, 3 KeywordList, 3 Text, 10 Keyword)', () => {
    const count = (type: string) => SEARCH_ATTRIBUTE_REGISTRATIONS.filter((pair) => pair.endsWith(`=${type}`)).length;
    expect(count('Datetime')).toBeLessThanOrEqual(3);
    expect(count('KeywordList')).toBeLessThanOrEqual(3);
    expect(count('Text')).toBeLessThanOrEqual(3);
    expect(count('Keyword')).toBeLessThanOrEqual(10);
  });
});

describe('visibility rate limit', () => {
  it('the compose stack allows the dashboard as many visibility calls as the dev server', () => {
    const dynamicConfig = readFileSync(join(__dirname, '../../deploy/temporal-dynamic-config.yaml'), 'utf8');
    const value = /frontend\.namespaceRPS\.visibility:\s*\n\s*- value: (\d+)/.exec(dynamicConfig)?.[1];
    expect(Number(value)).toBe(VISIBILITY_RPS);
  });
});
