/**
 * Multi-line texts inside an indented report: Go's multierror ("1 error occurred:\n\t* …\n\n")
 * and similar errors keep their continuation lines under the first, and their trailing blank
 * lines, which carry nothing, do not leave padded empty lines in the layout. JSON keeps the exact text.
 */
export function indentBlock(text: string, pad: string, firstPad = pad): string {
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .map((l, i) => (l === '' ? '' : (i === 0 ? firstPad : pad) + l))
    .join('\n');
}
