import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape.js';

describe('escapeHtml', () => {
  it('neutralises markup and both quote kinds', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'q'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;',
    );
  });

  it('leaves ordinary text (including non-ASCII) unchanged', () => {
    expect(escapeHtml('tsm-rct ÷ λ 25%')).toBe('tsm-rct ÷ λ 25%');
  });
});
