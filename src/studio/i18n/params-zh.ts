/**
 * Simplified Chinese labels, help texts and units of every node kind's params, keyed by node
 * kind then param name (the engine's declarations in nodes/*.ts are English). Option values,
 * column names, param names and formulas stay as they are: the inspector's drop-downs show the
 * stored option values, so a help text names them verbatim and glosses them in Chinese.
 * tests/studio/params-zh.test.ts checks that every declared param is covered and that no
 * entry is stale.
 */

/** One param's Chinese text: `help` and `unit` exactly when the English param has them. */
export interface ZhParam {
  /** Field label. */
  label: string;
  /** Help shown under the field. */
  help?: string;
  /** Unit shown after the label. */
  unit?: string;
}

/** Chinese param text by node kind, then param name. */
export const zhParams: Readonly<Record<string, Readonly<Record<string, ZhParam>>>> = {
  load: {
    source: { label: '数据来源', help: 'file：拖入或选择的文件；sample：内置示例数据；url：网址（URL）上的文件（由你的浏览器获取）。' },
    sample: { label: '示例数据', help: '内置示例在 sample-data/ 下的路径。' },
    url: { label: '网址（URL）', help: '文件的地址；服务器须允许跨域读取。' },
    format: { label: '格式', help: '为 auto 时根据文件开头的字节和文件名识别。' },
    delimiter: { label: '分隔符', help: '为 auto 时根据前几行推断（逗号、分号、制表符或竖线）。' },
    encoding: { label: '文本编码', help: 'auto：按 UTF-8 读取（带或不带 BOM 均可）；不是 UTF-8 的文件按 GB18030（中文 Excel）读取，否则按 Windows-1252 读取。' },
    header: { label: '首行为列名' },
    dateOrder: { label: 'A/B/YYYY 形式日期的顺序', help: 'auto：逐列根据大于 12 的值判断日与月的顺序；没有值可供判断时按 day-first（日在前）。' },
    types: { label: '列类型', help: '覆盖自动推断的列类型；不符合该类型的单元格变为缺失值并计数。' },
    maxMegabytes: { label: '文件大小上限', help: '更大的文件会被拒绝并给出提示，以免耗尽标签页的内存。', unit: 'MB' },
  },
  clean: {
    dropDuplicates: { label: '删除完全重复的行' },
    trim: { label: '去除首尾空白', help: '删除文本单元格首尾的空格；去除后为空的单元格变为缺失值。' },
    parseNumbers: { label: '按数值读取', help: '含有格式不规范数字（如 "1,234.50" 或 "$12"）的文本列；无法读取的单元格变为缺失值。' },
    parseNumbersAuto: { label: '同时转换所有单元格都能读作数值的文本列' },
    conditions: { label: '保留满足条件的行', help: '须同时满足所有条件，例如 Quantity > 0、InvoiceNo not-starts-with C。' },
    missing: { label: '缺失值', help: '逐列选择：keep（保留）、drop-row（删除该行），或用 mean（均值）、median（中位数）、mode（众数）、constant（常数）填补。' },
    missingConstant: { label: '填补常数', help: '供 "constant" 策略使用，按该列的类型读取。' },
    outliers: { label: 'IQR 异常值', help: '小于 Q1 − k·IQR 或大于 Q3 + k·IQR 的值。' },
    outlierColumns: { label: '检测异常值的列' },
    iqrFactor: { label: 'k（IQR 倍数）' },
  },
  anonymise: {
    drop: { label: '删除的列', help: '从输出中移除。' },
    hash: { label: '哈希处理的列', help: '替换为 hex(SHA-256(salt ‖ 0x00 ‖ value))。' },
    salt: { label: '盐值', help: '只保存在本项目中，不会发送到任何地方。留空：由随机种子派生（可复现，但会给出警告）。' },
    hashChars: { label: '哈希长度', unit: '十六进制字符' },
    ageColumn: { label: '年龄列', help: '替换为所在的年龄段，例如 30-39。' },
    bandWidth: { label: '年龄段宽度', unit: '岁' },
    topCode: { label: '最高年龄段起点', help: '达到或超过该年龄的都归入同一个年龄段（0：不设）。', unit: '岁' },
  },
  features: {
    customer: { label: '客户 ID', help: '在输出中保留原列名。' },
    invoice: { label: '发票（订单）ID', help: 'frequency 统计不同发票的个数。' },
    time: { label: '购买时间', help: '日期，或日期文本。' },
    quantity: { label: '数量' },
    price: { label: '单价' },
    product: { label: '商品 ID', help: '增加 distinct_products 列；并从 products 输入关联品类。' },
    category: { label: '品类', help: '增加 share_<category> 列；连接了 products 输入时从中读取。' },
    productKey: { label: 'products 中的商品 ID', help: '留空：与商品列同名。' },
    referenceDate: { label: '参考日期', help: '留空：最近一次购买的次日。' },
    wholeDays: { label: '按整天计', help: '最近购买间隔（recency）与客户存续时长（tenure）按整天计（向下取整），同 pandas 的 .days；关闭时为带小数的天数。' },
    maxCategories: { label: '品类占比列数上限', help: '其余品类合并计入 share_other。' },
  },
  normalise: {
    columns: { label: '列', help: '留空：所有数值列。' },
    method: { label: '方法', help: 'min-max（最小-最大归一化）：(x − min)/(max − min)；z-score（Z 分数标准化）：(x − mean)/sd；robust（稳健缩放）：(x − median)/IQR。' },
    suffix: { label: '输出列后缀', help: '留空：替换原列；填写如 "_norm"：另外添加缩放后的副本。' },
    clip: { label: '截断到 [0, 1]', help: '将已拟合的 min-max 缩放应用于新数据时，把值限制在 [0, 1] 以内。' },
  },
  weight: {
    method: { label: '权重来源', help: 'typed：使用你填写的权重，并按比例缩放使其绝对值之和为 1；entropy：熵权法，根据各列的变异程度确定权重。' },
    weights: { label: '各列权重', help: '“越低越好”的列填负数（例如 recency_days: -0.3）。' },
    columns: { label: '列', help: '熵权法计算权重所用的列。' },
    lowerIsBetter: { label: '越低越好', help: '这些列的熵权按负向计入。' },
  },
  sequence: {
    idColumn: { label: '客户 ID', help: '活动表中的客户 ID 列。' },
    timeColumn: { label: '时间', help: '每行发生的时间（日期或日期时间，按 UTC 读取）。' },
    period: { label: '时间段', help: '序列中每一步的时长。' },
    steps: { label: '步数', help: '截止日期之前的时间段个数 T。' },
    countRows: { label: '统计行数', help: '每张表一个特征：每个时间段内的行数。' },
    countBy: { label: '按类别计数', help: '一个类别列（例如 event）：对其中最常见的取值，每个取值各计一个数。' },
    values: { label: '数值列', help: '每个时间段内按 count（计数）、sum（求和）或 mean（均值）汇总的数值列。' },
    cutoff: { label: '截止日期', help: '观察窗口的结束（不含当天，UTC 零点）。' },
    horizonEnd: { label: '预测窗口结束', help: '截止日期之后的标签窗口的结束（不含当天）。' },
    labelSource: { label: '标签', help: 'horizon：客户在截止日期与预测窗口结束之间在第一张表中有记录则为 1；column：customers 表中的一个 0/1 列；none：无标签（用于打分）。' },
    positiveColumn: { label: '大于 0 时算作购买', help: '预测窗口内只有该列大于 0 的行才算作购买（例如 quantity，这样退货不计入）。' },
    labelColumn: { label: '标签列', help: 'customers 表中的一个 0/1 列。' },
    customerIdColumn: { label: '客户表 ID 列', help: 'customers 表的 ID 列（默认：与活动表的 ID 列同名）。' },
    staticColumns: { label: '静态特征', help: '每位客户的数值（例如 recency、frequency、monetary、score），附加到每一步上。' },
    staticIdColumn: { label: '静态表 ID 列', help: 'static 表的 ID 列（默认：与活动表的 ID 列同名）。' },
    scaling: { label: '缩放', help: 'lstm 节点在每个训练折上拟合的缩放方式：log-standard 为带符号的 log1p 后再做 z-score 标准化；standard 仅做 z-score 标准化；none 不缩放。' },
  },
  lstm: {
    units: { label: '单元数', help: '每个 LSTM 层的隐藏单元数。' },
    layers: { label: '层数', help: '堆叠的 LSTM 层数。' },
    dropout: { label: '丢弃率（Dropout）', help: '训练时随机丢弃的最后一层输出的比例。' },
    epochs: { label: '训练轮数' },
    batchSize: { label: '批大小' },
    learningRate: { label: '学习率', help: 'Adam 优化器的步长。' },
    patience: { label: '耐心轮数（patience）', help: '验证损失连续这么多轮没有下降就停止训练，并恢复最佳权重；0 = 训练完所有轮次。' },
    earlyStoppingShare: { label: '早停验证比例', help: '每一折的训练行中用于早停监控的比例（仅当 patience > 0 时）。' },
    classWeight: { label: '类别权重', help: 'balanced：在损失函数中以 n / (2 · 该类样本数) 为每个类别加权。' },
    validation: { label: '验证方式', help: 'kfold：分层 k 折交叉验证，每位客户都得到折外预测得分；holdout：留出法，只对留出的一部分客户打分。' },
    folds: { label: '折数' },
    holdoutShare: { label: '留出比例' },
    finalModel: { label: '用全部行训练最终模型', help: '验证结束后，用所有有标签的客户训练用于导出的模型。' },
    implementation: { label: '实现方式', help: 'fast：手写的 LSTM 计算内核；layers：tf.layers.lstm 参考实现。' },
  },
  evaluate: {
    thresholdRule: { label: '阈值规则', help: 'fixed：得分 ≥ 阈值时预测为购买；max-f1：取在这些预测上使 F1 最大的阈值（结果偏乐观）。' },
    threshold: { label: '固定阈值' },
    baseline: { label: '基线', help: '以逻辑回归作基线，输入为：auto = 静态特征（来自 features 表输入，否则取附加在序列上的静态特征），都没有时用序列总量；static：静态特征；totals：各序列特征的总量；none：不做基线。' },
    featuresIdColumn: { label: '特征表 ID 列', help: '静态特征表的 ID 列。' },
    baselineColumns: { label: '基线特征列', help: '基线使用的特征表列（留空：除 ID 外的所有数值列）。' },
    bins: { label: '校准分箱数' },
  },
  segment: {
    idColumn: { label: '客户 ID 列', help: '每位客户一行；留空 = 使用行号。' },
    columns: { label: '特征列', help: '留空 = 除 ID 外的所有数值列。' },
    chooseK: { label: '选择 k', help: 'silhouette：尝试 kMin..kMax，保留轮廓系数最高的 k；fixed：使用固定的 k。' },
    k: { label: 'k（固定）' },
    kMin: { label: '最小 k' },
    kMax: { label: '最大 k' },
    skewed: { label: '偏态列', help: 'log：偏度大于 1 的非负列（消费额、次数）在聚类前变换为 ln(1 + x / mean)，避免少数超大客户主导结果；keep：按原样使用。' },
    scaling: { label: '缩放', help: 'z-score：聚类前将每个特征中心化并除以其标准差；none：直接使用原值（数据已归一化时）。' },
    restarts: { label: '重复初始化次数', help: '以随机种子进行的 k-means++ 初始化次数；取惯性（簇内平方和）最小的一次。' },
    maxIterations: { label: '最大迭代次数' },
    silhouetteSample: { label: '轮廓系数抽样数', help: '行数超过该值时，在该大小的带种子随机样本上计算轮廓系数。' },
    scoreColumn: { label: '得分列（scores 输入）' },
  },
  recommend: {
    customerColumn: { label: '客户列' },
    productColumn: { label: '商品列' },
    quantityColumn: { label: '数量列', help: '留空 = 每行计一次。数量 ≤ 0 的行（退货）不计入。' },
    basketColumn: { label: '购物篮（发票）列', help: '留出每位客户最后一个购物篮时需要。' },
    timeColumn: { label: '时间列', help: '用于给购物篮排序；留空 = 按表中顺序。' },
    labelColumn: { label: '商品名称列', help: '交易表中用于推荐理由（"because you bought …"，即“因为你买过 …”）的列；留空 = 使用 products 输入中的名称，否则使用商品 ID。' },
    productKey: { label: 'products 中的商品 ID', help: '留空：与商品列同名。' },
    productName: { label: 'products 中的商品名称' },
    n: { label: '推荐个数（Top N）' },
    weighting: { label: '加权方式', help: 'binary：只看是否买过；log-count：ln(1 + quantity)。' },
    alpha: { label: '非对称系数 α', help: 'sim(i→j) = c_ij / (n_i^α · n_j^(1−α) + λ)；取 0.5 即为余弦相似度。' },
    shrinkage: { label: '收缩系数 λ', help: '将只有少数客户共同购买过的商品对的相似度向 0 收缩。' },
    neighbours: { label: '每个商品的近邻数' },
    maxHistory: { label: '购买历史上限', help: '更长的购买历史只以其中购买最多的商品参与相似度计算。' },
    segmentPopularity: { label: '分群内热门补位', help: '近邻填不满的推荐位，用该客户所在分群购买最多的商品补足（需要 segments 输入）。' },
    holdout: { label: '离线评估' },
  },
  decide: {
    value: { label: '客户价值', help: 'monetary：customers（或 scores）输入中的价值列；score：加权得分；none：只按购买概率排序。' },
    valueColumn: { label: '价值列' },
    idColumn: { label: '客户 ID 列（customers 与 scores 输入）' },
    scoreColumn: { label: '得分列（scores 输入）' },
    threshold: { label: '规则阈值（z）', help: '分群需偏离平均值多少个标准差，规则才会触发。' },
    topRecommendations: { label: '每位客户的推荐数' },
  },
};

/** Chinese inspector group headings by node kind, then the English heading (`meta.group`). */
export const zhParamGroups: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  load: { Reading: '读取', Types: '类型' },
  clean: { Numbers: '数值', Rows: '行筛选', 'Missing values': '缺失值', Outliers: '异常值' },
  anonymise: { 'Age bands': '年龄分段' },
  sequence: { Time: '时间', Label: '标签', Customers: '客户表', Static: '静态特征' },
  lstm: { Network: '网络结构', Training: '训练', Validation: '验证' },
  evaluate: { Baseline: '基线' },
  recommend: { Similarity: '相似度', Evaluation: '评估' },
};
