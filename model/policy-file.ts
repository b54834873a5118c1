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
    // The file named once, after the last problem.
    if (error instanceof PolicyError) throw PolicyError.of(error.problems.map((p, i, all) => (i === all.length - 1 ? { ...p, message: `${p.message} (in ${path})` } : p)))!;
    throw error;
  }
}
