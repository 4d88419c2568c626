/** The backend line's reasons in Chinese: every reason the worker writes has a Chinese phrase; adapter names and unknown text pass through. */
import { describe, expect, it } from 'vitest';
import { backendReasonText } from '../../src/studio/i18n/backend-zh.ts';

describe('backendReasonText', () => {
  it('translates each reason the worker writes, keeping the adapter name', () => {
    expect(backendReasonText('zh', 'software adapter (google swiftshader): used only where the LSTM probe measures it faster than wasm')).toBe('软件适配器（google swiftshader）：仅当 LSTM 探测测得它比 wasm 快时才使用');
    expect(backendReasonText('zh', 'not available in this environment')).toBe('此环境中不可用');
    expect(backendReasonText('zh', 'failed to initialise')).toBe('初始化失败');
    expect(backendReasonText('zh', 'computed NaN instead of 12')).toBe('试算结果为 NaN，而不是 12');
  });

  it('keeps English in English, and a browser\'s own message as written', () => {
    expect(backendReasonText('en', 'failed to initialise')).toBe('failed to initialise');
    expect(backendReasonText('zh', 'GPUAdapter request failed')).toBe('GPUAdapter request failed');
  });
});
