/**
 * Simplified Chinese templates of the issues the engine reports, keyed by issue code. A node
 * kind's declared messages (nodes/*.ts, including the data kernels' `KernelMessages` tables a
 * node spreads into its own) are emitted as `<kind>.<code>`; the engine's own templated codes
 * are listed separately. Each template uses exactly the placeholders of its English template;
 * they are filled from `issue.values` the way the engine fills them (strings quoted), so column
 * names, param names and values appear verbatim. Engine messages built ad hoc (no template, or
 * values that do not carry everything the sentence says) have no entry and stay English.
 * tests/studio/messages-zh.test.ts checks coverage, stale keys and placeholders.
 */

/** Chinese templates of node kinds' declared messages, by issue code `<kind>.<code>`. */
export const zhNodeMessages: Readonly<Record<string, string>> = {
  // load (with the read kernel's messages)
  'load.emptyFile': '文件 {name} 是空的。',
  'load.tooLarge': '文件 {name} 大小为 {megabytes} MB，超过参数 "maxMegabytes" 设定的 {limit} MB 上限；请调高上限，或加载更小的数据子集。',
  'load.badJson': '文件 {name} 不是有效的 JSON：{reason}',
  'load.notRecords': '{name} 中的 JSON 必须是由记录（对象）组成的数组；实际是类型为 {found} 的 JSON。',
  'load.badNdjsonLine': '{name} 的第 {line} 行不是 JSON 对象：{reason}',
  'load.badParquet': '无法按 Parquet 格式读取文件 {name}：{reason}',
  'load.badArrow': '无法按 Arrow IPC 格式读取文件 {name}：{reason}',
  'load.guessedEncoding': '文件 {name} 不是有效的 UTF-8，已按 {encoding} 读取。如果文字显示不对，请在参数 "encoding" 中选择编码。',
  'load.replacedBytes': '{name} 中有 {count} 个字符无法按 {encoding} 解码，已替换为 "\uFFFD"。',
  'load.longRows': '{name} 中有 {count} 行的字段多于表头（{width} 个），多出的值已丢弃（首次出现在第 {row} 个数据行）。',
  'load.shortRows': '{name} 中有 {count} 行的字段少于表头（{width} 个），其余单元格记为缺失。',
  'load.unterminatedQuote': '文件 {name} 在引号括起的字段内结束；最后一个字段一直延续到文件末尾。',
  'load.nonFinite': '列 {column}：{count} 个单元格（如 {example}）不是有限数值（超出双精度范围或为无穷大），已按缺失读取。',
  'load.textTooLarge': '文件 {name} 有 {megabytes} MB 文本；超过 {limit} MB 的文本无法一次读取（JavaScript 字符串上限）。请拆分文件，或转换为没有此上限的 Parquet。',
  'load.notText': '文件 {name} 不是文本表格：{reason}。请加载 CSV、TSV、JSON、NDJSON、Parquet 或 Arrow。',
  'load.tooDeep': '{name} 中的 JSON 嵌套超过 {limit} 层（第 {line} 行）；表格单元格无法容纳。请展平导出文件，或加载更简单的文件。',
  'load.renamedHeaders': '{name} 中有 {count} 个列名为空、重复或是保留名 "__proto__"，已重新命名（如 name_2）。',
  'load.markersAsMissing': '列 {column}：{count} 个单元格（如 {example}）被读作缺失值。',
  'load.unreadable': '列 {column}：{count} 个单元格（如 {example}）无法按 {type} 读取，记为缺失。',
  'load.ambiguousDates': '列 {column}：每个日期既可读作“日/月”也可读作“月/日”，已按“日/月”读取。如有误，请设置参数 "dateOrder"。',
  'load.conflictingDates': '列 {column} 中有些日期只能是“日/月”，另一些只能是“月/日”，已保留为文本。',
  'load.typeForMissingColumn': '参数 "types" 指定了列 {column}，但文件中没有该列。',
  'load.noFile': '节点 {node} 没有绑定文件；请拖入或选择文件，或把参数 "source" 设为内置示例或网址（URL）。',
  'load.emptyUrl': '参数 "url" 为空；请输入 CSV、JSON、Parquet 或 Arrow 文件的地址。',
  'load.emptySample': '参数 "sample" 为空；请填写内置示例的名称，例如 customer-insight/transactions.csv。',
  'load.fetchFailed': '获取 {url} 失败：{reason}',

  // clean (with the condition and cleaning kernels' messages)
  'clean.conditionNeedsValue': '条件 {index}（列 {column}）使用运算符 {op}，需要填写一个用于比较的值。',
  'clean.conditionNotNumber': '条件 {index}：列 {column} 为数值，因此用 {op} 比较的值必须是数字；实际为 {value}。',
  'clean.conditionNotDate': '条件 {index}：列 {column} 为日期，因此用 {op} 比较的值必须是日期，例如 2011-12-09；实际为 {value}。',
  'clean.conditionNotBoolean': '条件 {index}：列 {column} 为 true/false，因此比较值必须是 true 或 false；实际为 {value}。',
  'clean.conditionOperator': '条件 {index}：运算符 {op} 不适用于 true/false 列 {column}；请使用 == 或 !=。',
  'clean.notNumeric': '参数 {param} 中的列 {column} 必须是数值；它含有 {kind} 类型的值，例如 {example}。',
  'clean.badConstant': '参数 "missingConstant" 为 {value}，无法填补 {type} 类型的列 {column}。',
  'clean.unknownColumn': '参数 {param} 中指定的列 {column} 不在表中。',
  'clean.noValuesToImpute': '列 {column} 已没有任何值，无法计算其 {strategy}；其中 {count} 个缺失单元格保持缺失。',
  'clean.unparseable': '列 {column}：{count} 个单元格（如 {example}）不是数字，已变为缺失值。',
  'clean.infinite': '列 {column}：{count} 个无穷值已变为缺失值。',
  'clean.everyRowRemoved': '清洗删除了全部 {rows} 行；输出表为空。',

  // anonymise (with the anonymise kernel's messages)
  'anonymise.notNumericAge': '参数 "ageColumn" 中的列 {column} 必须是数值（年龄）；它含有 {example} 这样的值。',
  'anonymise.negativeAges': '列 {column}：{count} 个小于 0 的年龄（如 {example}）不是有效年龄，已变为缺失值。',
  'anonymise.noCrypto': '当前环境没有哈希所需的 WebCrypto（crypto.subtle）。',
  'anonymise.derivedSalt': '参数 "salt" 为空，因此盐值由流水线随机种子和节点 ID 派生：任何拿到此流水线的人都能复现这些哈希值。请设置一个保密的盐值。',
  'anonymise.nothingChosen': '没有选择要删除、哈希或分段的列；表格原样通过。',
  'anonymise.droppedAndHashed': '列 {column} 既被删除又被哈希；请只选其一。',

  // features (with the features kernel's messages)
  'features.notNumeric': '参数 {param} 中的列 {column} 必须是数值；它含有 {example} 这样的值。',
  'features.notTime': '参数 "time" 中的列 {column} 必须是日期或时间；其中没有任何单元格能读作日期或时间（如 {example}）。',
  'features.sameColumn': '参数 {first} 和 {second} 都指定了列 {column}；请选择不同的列。',
  'features.skippedCustomer': '{count} 行没有客户 ID，已排除。',
  'features.skippedTime': '{count} 行在列 {column} 中没有可读的时间（如 {example}），已排除。',
  'features.skippedAmount': '{count} 行缺少数量或单价；它们计入 frequency，但不计入 monetary。',
  'features.skippedInvoice': '{count} 行没有发票 ID；它们不计入 frequency。',
  'features.afterReference': '{count} 位客户在参考日期 {reference} 之后有购买；他们的 recency_days 为负数。',
  'features.noTransactions': '没有可用于计算特征的交易记录；输出为空。',
  'features.nonPositiveSpend': '{count} 位客户的总消费额为 0 或更少，因此他们的品类占比为缺失值。',
  'features.categoriesGrouped': '列 {column} 有 {count} 个品类；总消费额最大的 {kept} 个品类各有自己的占比列，其余计入 share_other。',
  'features.chooseColumn': '参数 {param} 为空；请选择 {what} 列。',
  'features.categoryNeedsProducts': '参数 "category" 指定的 {column} 既不在交易表中，也不在 products 表中。',
  'features.productKeyNeeded': '要从 products 表关联品类，请设置参数 "product"（交易记录中的商品 ID 列）。',
  'features.conflictingCategories': '{count} 个商品 ID 在 products 表中有不止一个品类（如 {example}）；使用最先列出的那个。',
  'features.unknownProducts': '{count} 行交易的商品 ID 不在 products 表中；这些行没有品类，其消费额计入 monetary，但不计入任何占比列。',

  // normalise (the normalise kernel's messages)
  'normalise.notNumeric': '参数 {param} 中的列 {column} 必须是数值；它含有 {example} 这样的值。',
  'normalise.constantColumn': '列 {column} 为常量；已缩放为 0。',
  'normalise.noValues': '列 {column} 没有可用于拟合的值；保持缺失。',
  'normalise.nonFinite': '列 {column}：{count} 个无穷值按缺失值处理。',
  'normalise.noColumns': '没有可缩放的数值列；表格原样通过。',
  'normalise.badTransform': '连接到输入 "fitted" 的变换不是已拟合的缩放（{reason}）。',
  'normalise.transformColumnMissing': '已拟合的缩放指定了列 {column}，但此表没有该列。',

  // weight (with the weight kernel's messages)
  'weight.notNumeric': '参数 {param} 中的列 {column} 必须是数值；它含有 {example} 这样的值。',
  'weight.noWeights': '参数 "weights" 没有给任何列非零权重；请至少给一列设置权重（例如 0.4），“越低越好”的列可设为负数。',
  'weight.noColumns': '参数 "columns" 没有指定任何列；熵权法至少需要一个数值列。',
  'weight.negativeForEntropy': '列 {column} 含有负值（如 {example}）；熵权法要求各列非负，例如先经过 min-max 归一化。',
  'weight.notNormalised': '列 {column} 的取值范围是 [{min}, {max}]，而不是 [0, 1]；请对经过 min-max 归一化的列加权，使各列可比。',
  'weight.incompleteRows': '{count} 行在某个加权列中有缺失值或非有限值；它们的得分和排名为缺失。',
  'weight.equalWeights': '熵权法无法区分各列（{reason}）；每列获得相同的权重。',
  'weight.zeroColumns': '列 {columns} 在每一行都为 0；熵权法给它们的权重为 0。',
  'weight.noScoredRows': '没有一行在所有加权列中都有值；没有行得到评分。',
  'weight.replacedColumns': '输入中已有列 {columns}；它们已被本节点的输出替换。',

  // sequence
  'sequence.cutoffMissing': '请设置截止日期：序列在该日期结束，标签窗口从该日期开始。',
  'sequence.horizonMissing': '请设置晚于截止日期 {cutoff} 的预测窗口结束日期：标签来自两者之间的购买。',
  'sequence.horizonBeforeCutoff': '预测窗口结束日期 {horizonEnd} 必须晚于截止日期 {cutoff}。',
  'sequence.noTimes': '列 {column} 中没有可读的日期或时间，因此无法判断任何一行在截止日期之前还是之后。',
  'sequence.cutoffBeforeData': '截止日期 {cutoff} 不晚于最早的活动（{first}）：没有可用于构建序列的数据。',
  'sequence.horizonAfterData': '预测窗口 {cutoff} 至 {horizonEnd} 开始于最后一次活动（{last}）之后：看不到任何购买，所有标签都将为 0。',
  'sequence.horizonPastData': '预测窗口结束于 {horizonEnd}，晚于最后一次活动（{last}）；该日期之后的购买无法观察到。',
  'sequence.noCustomers': '截止日期 {cutoff} 之前没有任何客户同时具有 ID 和活动记录。',
  'sequence.noFeatures': '没有特征：请打开“统计行数”，选择“按类别计数”的列，或添加数值列。',
  'sequence.labelColumnNeeded': '标签来源 "column" 需要连接 customers 表并选择其标签列。',
  'sequence.badLabel': '标签列 {column} 中客户 {id} 的值为 {value}；标签必须是 0/1、true/false 或 yes/no。',
  'sequence.missingLabels': '{count} 位客户没有标签（保留为未知；lstm 节点训练时不使用他们，但会为他们打分）。',
  'sequence.singleClass': '所有标签都是 {label}：模型无法学会区分客户。',
  'sequence.badTimes': '{count} 行在列 {column} 中没有可读的时间，已跳过。',
  'sequence.missingIds': '{count} 行没有客户 ID，已跳过。',
  'sequence.badValues': '汇总 {columns} 时跳过了 {count} 个不是数字的值。',
  'sequence.unknownIds': '{count} 行活动记录所属的 ID 不在 customers 表中，已跳过。',
  'sequence.duplicateCustomers': '{count} 个客户 ID 在 customers 表中出现多次；每个 ID 使用第一行。',
  'sequence.countByCapped': '列 {column} 有 {count} 个不同取值；只有最常见的 {kept} 个成为特征。',
  'sequence.staticMissing': '{count} 位客户在静态特征表中没有对应行（或值不是数值）；已使用该列的均值。',
  'sequence.staticEmpty': '静态特征列 {column} 对任何客户都没有数值。',
  'sequence.noActivity': '{total} 位客户中有 {count} 位在截止日期前的 {steps} 个时间段内没有活动（序列全为 0）。',

  // lstm
  'lstm.nonFinite': '序列中客户 {id} 在第 {step} 步、特征 {feature} 处的值为 {value}；所有值都必须是有限数。',
  'lstm.noLabels': '没有客户带有标签（0 或 1）：请连接带标签的序列来训练，或连接已保存的模型来打分。',
  'lstm.singleClass': '所有带标签的客户标签都是 {label}：模型需要同时有购买者和未购买者才能学习。',
  'lstm.tooFewForFolds': '{folds} 折验证要求每个类别至少有 {folds} 位客户；目前标签为 1 的有 {positives} 位，标签为 0 的有 {negatives} 位。',
  'lstm.tooFewForHoldout': '留出法要求每个类别至少有 2 位客户；目前标签为 1 的有 {positives} 位，标签为 0 的有 {negatives} 位。',
  'lstm.badModel': '连接的模型不是本节点训练的 LSTM（类型 {kind}）。',
  'lstm.modelMismatch': '连接的模型要求每步 {expected} 个特征（{expectedNames}），而序列有 {actual} 个。',
  'lstm.unlabelled': '{count} 位客户没有标签：他们由最终模型打分，折号记为 −1。',
  'lstm.backendFallback': '{from} 后端出错（{reason}）；已从第 {epochs} 轮起改在 {to} 上继续训练。',
  'lstm.kernelInput': 'LSTM 拒绝了输入：{reason}',
  'lstm.noFinalModel': '未训练最终模型：模型输出为第 1 折的模型，用 {share}% 的带标签客户训练。',

  // evaluate
  'evaluate.noColumns': '预测表需要 id、score 和 label 列；它的列为 {columns}。',
  'evaluate.noRows': '没有任何预测同时具有 0/1 标签和 ≥ 0 的折号，因此没有可评估的内容。',
  'evaluate.badScore': '客户 {id} 的得分为 {value}；得分必须是 0 到 1 之间的概率。',
  'evaluate.badLabel': '客户 {id} 的标签为 {value}；标签必须是 0 或 1。',
  'evaluate.singleClass': '所有参与评估的客户标签都是 {label}：只有一个类别时，ROC AUC、PR AUC 和 F1 没有定义。',
  'evaluate.foldSingleClass': '第 {fold} 折只有标签 {label}；其 ROC AUC 与 PR AUC 没有定义，不计入各折均值。',
  'evaluate.baselineUnavailable': '没有基线：{reason}',
  'evaluate.baselineMissing': '{count} 位参与评估的客户在基线特征中没有对应行（或值不是数值）；已使用该列的均值。',
  'evaluate.baselineFailed': '无法拟合逻辑回归基线：{reason}',

  // segment
  'segment.noRows': '输入表没有行；没有可分群的客户。',
  'segment.noFeatures': '没有可用于聚类的数值特征列（现有列：{available}）。',
  'segment.notNumeric': '列 {column} 不是数值列（第 {row} 行为 {value}）；请选择数值特征列。',
  'segment.missingValue': '列 {column} 在第 {row} 行有缺失值或非有限值；请在分群前填补或过滤。',
  'segment.badRange': '最小 k（{kMin}）大于最大 k（{kMax}）。',
  'segment.kReduced': '要求 k = {asked}，但数据中只有 {made} 种不同的客户画像；已分成 {made} 个群。',
  'segment.rangeClamped': '只有 {rows} 位客户：k 的范围 {kMin}..{kMax} 已收窄为 {from}..{to}（轮廓系数要求 k ≤ 行数 − 1）。',
  'segment.tooFewForRange': '只有 {rows} 位客户：无法按轮廓系数选择 k；使用 k = {k}。',
  'segment.constantColumn': '列 {column} 为常量，无法区分群体（按 1 缩放）。',
  'segment.duplicateIds': '{count} 个客户 ID 在 {column} 中出现多次；按 ID 关联时取重复行的均值。',
  'segment.unmatched': '{rows} 位客户中有 {count} 位在 {input} 输入中没有对应行；计算分群均值时跳过他们。',
  'segment.silhouetteUndefined': '此聚类结果的轮廓系数没有定义（{reason}）。',

  // recommend
  'recommend.notNumeric': '列 {column} 必须是数值；第 {row} 行为 {value}。',
  'recommend.badTime': '时间列 {column} 第 {row} 行的值为 {value}，不是日期或时间。',
  'recommend.skipped': '{rows} 行中有 {skipped} 行被排除：{missing} 行缺少客户或商品，{invalid} 行缺少数量或时间，{returns} 行数量 ≤ 0（退货）。',
  'recommend.noInteractions': '没有剩下可供学习的购买记录；每位客户的推荐列表都为空。',
  'recommend.noBaskets': '留出方式 "last-basket" 需要购物篮列；已改用 "random-item"。',
  'recommend.noEvaluation': '已跳过离线评估：没有客户满足留出方式 {holdout} 的条件（需要两个购物篮且最后一个中有新商品；"random-item" 则需要两个商品）。',
  'recommend.baselineZero': '按热门度推荐没有命中任何留出的商品，因此各比值没有定义。',
  'recommend.segmentsUnused': '已开启“分群内热门补位”，但没有连接 segments 输入；已改用整体热门度。',

  // decide
  'decide.noValue': '客户价值 "monetary" 需要 customers 或 scores 输入中有列 {column}；请连接其中之一，或把客户价值改为 "score" 或 "none"。',
  'decide.noScores': '客户价值 "score" 需要 scores 输入（weight 节点输出的表）。',
  'decide.noCustomers': 'segments 输入中没有任何客户；行动表为空。',
  'decide.missingPrediction': '{rows} 位已分群的客户中有 {count} 位没有购买概率；他们没有优先级，排在最后。',
  'decide.missingValue': '{rows} 位已分群的客户中有 {count} 位在 {column} 中没有值；他们没有优先级，排在最后。',
  'decide.unsegmented': '{count} 位有预测的客户不在任何分群中；他们不列入行动表。',
};

/**
 * Chinese templates of the engine's own codes whose English text is a template filled from
 * `issue.values` (src/engine/runner.ts `blockedIssue`). The engine's other codes (document,
 * param, edge, graph, column.missing, ...) are built ad hoc and stay English.
 */
export const zhEngineMessages: Readonly<Record<string, string>> = {
  'node.blocked': '未运行：上游节点 {upstream} 没有完成。',
};

/** Every Chinese issue template, by issue code. */
export const zhIssueMessages: Readonly<Record<string, string>> = { ...zhNodeMessages, ...zhEngineMessages };
