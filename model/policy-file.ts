// Reading a policy from a JSON file, with errors that name the file and the field.
import { readFile } from 'node:fs/promises';
import { PolicyError, resolvePolicy, type Policy, type PolicyInput } from './policy.ts';

export async function loadPolicyFile(path: string | undefined): Promise<Policy> {
  if (path === undefined) return resolvePolicy();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PolicyError('', `cannot read policy file ${path}: ${(error as Error).message}`);
  }
  let input: PolicyInput;
  try {
    input = JSON.parse(text) as PolicyInput;
  } catch (error) {
    throw new PolicyError('', `policy file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return resolvePolicy(input);
  } catch (error) {
    if (error instanceof PolicyError) throw new PolicyError(error.field, `${error.message.replace(/^policy\.[^:]*: /, '')} (in ${path})`);
    throw error;
  }
}
